import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { decodeSecretKey, SecretStore, SecretUnreadableError, secretKeyFileName } from './secrets.js';

const folders: string[] = [];
const freshFolder = () => {
  const folder = mkdtempSync(join(tmpdir(), 'orderpost-secrets-'));
  folders.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const key = Buffer.alloc(32, 9);

describe('SECRET_KEY', () => {
  it.each([
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['hex', key.toString('hex')],
    ['hex with a newline', `${key.toString('hex')}\n`],
  ])('is read from %s', (_label, value) => {
    expect(decodeSecretKey(value)).toEqual(key);
  });

  it.each([
    ['too short', Buffer.alloc(16).toString('base64')],
    ['too long', Buffer.alloc(48).toString('hex')],
    ['a passphrase', 'correct horse battery staple'],
  ])('is refused when %s', (_label, value) => {
    expect(decodeSecretKey(value)).toBeNull();
  });
});

describe('SecretStore', () => {
  it('encrypts so that only the same key opens it, and never the same way twice', () => {
    const store = new SecretStore({ secretKey: key.toString('base64'), dataDir: freshFolder(), databaseKind: 'postgres' });
    const sealed = store.encrypt('hasło');
    expect(sealed).not.toContain('hasło');
    expect(store.encrypt('hasło')).not.toBe(sealed);
    expect(store.decrypt(sealed)).toBe('hasło');
    const other = new SecretStore({ secretKey: Buffer.alloc(32, 1).toString('hex'), dataDir: freshFolder(), databaseKind: 'postgres' });
    expect(() => other.decrypt(sealed)).toThrow(SecretUnreadableError);
    const [version, iv, tag, ciphertext = ''] = sealed.split('.');
    const flipped = `${version}.${iv}.${tag}.${ciphertext.slice(0, -2)}${ciphertext.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => store.decrypt(flipped)).toThrow(SecretUnreadableError);
  });

  it('on the embedded database without SECRET_KEY, makes a key file readable by the owner only and reuses it', () => {
    const dataDir = freshFolder();
    const first = new SecretStore({ dataDir, databaseKind: 'pglite' });
    const sealed = first.encrypt('hasło');
    const path = join(dataDir, secretKeyFileName);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(decodeSecretKey(readFileSync(path, 'utf8'))).not.toBeNull();
    const restarted = new SecretStore({ dataDir, databaseKind: 'pglite' });
    expect(restarted.decrypt(sealed)).toBe('hasło');
  });

  it('refuses a damaged key file with a message naming it', () => {
    const dataDir = freshFolder();
    writeFileSync(join(dataDir, secretKeyFileName), 'not a key\n');
    expect(() => new SecretStore({ dataDir, databaseKind: 'pglite' }).encrypt('x')).toThrow(/secret\.key does not hold a 32-byte key/);
  });

  it('on PostgreSQL without SECRET_KEY, refuses to store a secret with SECRET_KEY_MISSING', () => {
    const store = new SecretStore({ dataDir: freshFolder(), databaseKind: 'postgres' });
    let error: unknown;
    try {
      store.encrypt('hasło');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('SECRET_KEY_MISSING');
    expect((error as AppError).message).toContain('SECRET_KEY');
  });
});
