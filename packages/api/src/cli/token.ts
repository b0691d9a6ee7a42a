import { parseArgs } from 'node:util';
import { roles, tokenInput, type Role } from '@orderpost/shared';
import { DatabaseInUseError, openDatabase, timeoutsFrom } from '../db/client.js';
import { ConfigError, readEnv } from '../env.js';
import { AppError } from '../errors.js';
import { createToken, listTokens, revokeToken } from '../features/tokens/tokens.service.js';
import { silentLogger } from '../logger.js';
import { printable } from './printable.js';
import { createServices, type Services } from '../services.js';

/**
 * `pnpm token create|list|revoke`: manages API tokens directly in the database
 * the server uses (DATABASE_URL, or the embedded database in DATA_DIR).
 * Names are printed through printable(): the API validates them now, but rows
 * written before may hold terminal escape sequences.
 */
const usage = `Usage:
  pnpm token create --role <${roles.join('|')}> --name "<name>"
      Creates a token and prints it once; store it right away.
  pnpm token list
      Lists all tokens (id, role, name, prefix, dates); never the secrets.
  pnpm token revoke <id>
      Revokes a token. The last working admin token cannot be revoked.

Uses the same database as the server: DATABASE_URL, or the embedded database in
DATA_DIR (default ./data). With the embedded database, stop the server first:
only one process may open it at a time. A running server notices a revocation
made here within 10 seconds.`;

/** Wrong arguments: the usage text is printed and the exit code is 2. */
class UsageError extends Error {}

type Command = { kind: 'create'; role: Role; name: string } | { kind: 'list' } | { kind: 'revoke'; id: number } | { kind: 'help' };

const readArgs = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });

function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help' || command === undefined) return { kind: 'help' };

  const noExtra = (allowed: string[]) => {
    if (rest.length > 0) throw new UsageError(`"${command}" takes no further arguments (got: ${rest.join(' ')})`);
    for (const option of ['role', 'name'] as const) {
      if (values[option] !== undefined && !allowed.includes(option)) throw new UsageError(`"${command}" takes no --${option}`);
    }
  };

  switch (command) {
    case 'create': {
      noExtra(['role', 'name']);
      if (values.role === undefined) throw new UsageError(`--role is required (one of ${roles.join(', ')})`);
      if (!(roles as readonly string[]).includes(values.role)) {
        throw new UsageError(`unknown role "${values.role}" (one of ${roles.join(', ')})`);
      }
      if (values.name === undefined) throw new UsageError('--name is required: say who or what will use the token');
      const input = tokenInput.safeParse({ role: values.role, name: values.name });
      if (!input.success) throw new UsageError('--name must be 1 to 100 characters');
      return { kind: 'create', role: input.data.role, name: input.data.name };
    }
    case 'list':
      noExtra([]);
      return { kind: 'list' };
    case 'revoke': {
      const [idText, ...more] = rest;
      if (idText === undefined) throw new UsageError('revoke needs the id of the token (see `pnpm token list`)');
      if (more.length > 0 || values.role !== undefined || values.name !== undefined) throw new UsageError('revoke takes only the token id');
      if (!/^\d+$/.test(idText) || Number(idText) < 1) throw new UsageError(`"${idText}" is not a token id`);
      return { kind: 'revoke', id: Number(idText) };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function run(command: Exclude<Command, { kind: 'help' }>, services: Services): Promise<void> {
  switch (command.kind) {
    case 'create': {
      const created = await createToken(services, { role: command.role, name: command.name });
      out(
        `Created token ${created.id} (role ${created.role}, name "${printable(created.name)}"). It is shown only this once; keep it safe:`,
        `  ${created.token}`,
      );
      return;
    }
    case 'list': {
      const tokens = await listTokens(services);
      if (tokens.length === 0) {
        out('No tokens yet. Create one with: pnpm token create --role admin --name me');
        return;
      }
      const rows = tokens.map((t) => [
        String(t.id),
        t.role,
        printable(t.name),
        `${t.prefix}…`,
        t.createdAt,
        t.lastUsedAt ?? '-',
        t.revokedAt ? `revoked ${t.revokedAt}` : 'active',
      ]);
      out(...table(['ID', 'ROLE', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATE'], rows));
      return;
    }
    case 'revoke': {
      const revoked = await revokeToken(services, command.id);
      out(`Token ${revoked.id} (role ${revoked.role}, name "${printable(revoked.name)}") is revoked since ${revoked.revokedAt}.`);
      return;
    }
  }
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function out(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`token: ${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    out(usage);
    return 0;
  }
  const env = readEnv();
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 2, timeouts: timeoutsFrom(env) });
  try {
    await run(command, createServices({ database, config: env, logger: silentLogger }));
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    process.stderr.write(`token: ${error.message} (${error.code})\n`);
    return 1;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(
    error instanceof ConfigError || error instanceof DatabaseInUseError
      ? `${error.message}\n`
      : `token: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = error instanceof ConfigError ? 2 : 1;
}
