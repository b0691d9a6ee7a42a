import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../errors.js';

/** 32 bytes as 64 hex digits or as base64 (standard or URL-safe); null for anything else. */
export function decodeSecretKey(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return null;
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : null;
}

/** The key file the embedded database uses when SECRET_KEY is not set. */
export const secretKeyFileName = 'secret.key';

/** A stored secret that the current key cannot open (the key changed, or the value was altered). */
export class SecretUnreadableError extends Error {}

const VERSION = 'v1';
/** Ties the ciphertext to its use: a value sealed for something else does not open as a mailbox secret. */
const ASSOCIATED_DATA = Buffer.from('orderpost secret v1');

export interface SecretStoreOptions {
  /** SECRET_KEY (already checked by env.ts). */
  secretKey?: string;
  /** Where the embedded database keeps its key file. */
  dataDir: string;
  databaseKind: 'pglite' | 'postgres';
}

/**
 * Encrypts secrets at rest (mailbox passwords, OAuth2 client secrets and
 * refresh tokens) with AES-256-GCM. The key is SECRET_KEY; on the embedded
 * database without it, a random key is written to DATA_DIR/secret.key (mode
 * 0600) on first use and read back afterwards. PostgreSQL without SECRET_KEY
 * cannot store secrets: several processes on several machines would each make
 * their own key.
 */
export class SecretStore {
  private key: Buffer | null = null;

  constructor(private readonly options: SecretStoreOptions) {}

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey(), iv);
    cipher.setAAD(ASSOCIATED_DATA);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined)
      throw new SecretUnreadableError('the stored secret is not in a known format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.currentKey(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(ASSOCIATED_DATA);
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new SecretUnreadableError(
        'the stored secret cannot be decrypted with the current key (was SECRET_KEY or the key file changed?)',
      );
    }
  }

  private currentKey(): Buffer {
    this.key ??= this.loadKey();
    return this.key;
  }

  private loadKey(): Buffer {
    const { secretKey, dataDir, databaseKind } = this.options;
    if (secretKey !== undefined) {
      const key = decodeSecretKey(secretKey);
      if (!key) throw new Error('SECRET_KEY must be 32 bytes written as 64 hex digits or base64');
      return key;
    }
    if (databaseKind !== 'pglite') {
      throw new AppError(
        'SECRET_KEY_MISSING',
        'Passwords cannot be stored: set SECRET_KEY (32 random bytes as base64 or hex, e.g. `openssl rand -base64 32`) for every API process and restart',
      );
    }
    return keyFile(join(dataDir, secretKeyFileName));
  }
}

/**
 * Reads the key file, or creates it. The key is written to a temporary file
 * and linked into place, so a second process never reads a half-written key
 * and two processes starting together agree on one.
 */
function keyFile(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  const key = decodeSecretKey(readFileSync(path, 'utf8'));
  if (!key)
    throw new Error(`${path} does not hold a 32-byte key (base64 or hex); restore it, or remove it and enter the mailbox passwords again`);
  return key;
}
