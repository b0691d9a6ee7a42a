import { apiToken } from '@orderpost/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createApp, type App } from '../src/app.js';
import { openDatabase } from '../src/db/client.js';
import { apiTokens } from '../src/db/schema/index.js';
import { silentLogger } from '../src/logger.js';
import { errorBody, json, testConfig } from './context.js';
import { createProcessDatabase, killSpawned, runScript, type ProcessDatabase } from './process.js';

// Each test starts Node processes that open a database: seconds on a quiet machine, far more on a loaded one.
vi.setConfig({ testTimeout: 240_000 });

/** `pnpm token …` runs this script; it is spawned here the same way. */
const cli = 'src/cli/token.ts';

let target: ProcessDatabase;
beforeAll(async () => {
  target = await createProcessDatabase();
});
afterEach(() => killSpawned());
afterAll(async () => {
  killSpawned();
  await target.remove();
});

const token = (args: string[], env: Record<string, string> = {}) => runScript(cli, args, { LOG_LEVEL: 'silent', ...target.env, ...env });

/** Opens the database the CLI wrote to, as the server would, and runs requests against the app on it. */
async function withApp<T>(use: (app: App) => Promise<T>): Promise<T> {
  const database = await openDatabase(target.options);
  try {
    return await use(createApp({ database, logger: silentLogger, config: testConfig }));
  } finally {
    await database.close();
  }
}

const as = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } });

function printedToken(stdout: string) {
  const match = /Created token (\d+) \(role (\w+), name "([^"]*)"\)[^\n]*\n\s+(op_[0-9A-Za-z]{40})\s*$/.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return { id: Number(match?.[1]), role: match?.[2], name: match?.[3], token: match?.[4] ?? '' };
}

describe('pnpm token', () => {
  it('creates tokens the server accepts, lists them without secrets, and revokes them', async () => {
    const admin = await token(['create', '--role', 'admin', '--name', 'Anna (owner)']);
    expect(admin.code, admin.stderr).toBe(0);
    const created = printedToken(admin.stdout);
    expect(created).toMatchObject({ role: 'admin', name: 'Anna (owner)' });

    const agent = await token(['create', '--role', 'agent', '--name', 'Packing']);
    expect(agent.code, agent.stderr).toBe(0);
    const agentToken = printedToken(agent.stdout);

    const listed = await withApp(async (app) => {
      const res = await app.request('/v1/tokens', as(created.token));
      expect(res.status).toBe(200);
      expect((await app.request('/v1/orders', as(agentToken.token))).status).toBe(200);
      expect((await app.request('/v1/tokens', as(agentToken.token))).status).toBe(403);
      return (await json(res, z.object({ tokens: z.array(apiToken) }))).tokens;
    });
    expect(listed.map((t) => [t.id, t.role, t.name])).toEqual([
      [created.id, 'admin', 'Anna (owner)'],
      [agentToken.id, 'agent', 'Packing'],
    ]);

    const list = await token(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('Anna (owner)');
    expect(list.stdout).toContain(created.token.slice(0, 10));
    expect(list.stdout).not.toContain(created.token);
    expect(list.stdout).not.toContain(agentToken.token);

    const revoke = await token(['revoke', String(agentToken.id)]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toMatch(new RegExp(`Token ${agentToken.id} .*revoked`));
    await withApp(async (app) => {
      const res = await app.request('/v1/orders', as(agentToken.token));
      expect(res.status).toBe(401);
      expect((await errorBody(res)).error.code).toBe('TOKEN_INVALID');
      expect((await app.request('/v1/orders', as(created.token))).status).toBe(200);
    });
    expect((await token(['list'])).stdout).toMatch(new RegExp(`^${agentToken.id}\\s.*revoked`, 'm'));
  });

  it('refuses to revoke the last admin token or one that does not exist (exit 1)', async () => {
    const own = await createProcessDatabase();
    try {
      const run = (args: string[]) => runScript(cli, args, { LOG_LEVEL: 'silent', ...own.env });
      const only = printedToken((await run(['create', '--role', 'admin', '--name', 'only admin'])).stdout);
      printedToken((await run(['create', '--role', 'agent', '--name', 'helper'])).stdout);

      const last = await run(['revoke', String(only.id)]);
      expect(last.code).toBe(1);
      expect(last.stderr).toContain('LAST_ADMIN_TOKEN');
      expect((await run(['list'])).stdout).toMatch(new RegExp(`^${only.id}\\s+admin\\s.*active$`, 'm'));

      const missing = await run(['revoke', '999999']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('TOKEN_NOT_FOUND');
    } finally {
      await own.remove();
    }
  });

  it('prints names with terminal escapes as visible escapes, never raw (rows written before names were validated)', async () => {
    const evil = '\u001b[2J\u001b]0;owned\u0007\u202eadmin\r\nfake line';
    const database = await openDatabase(target.options);
    try {
      await database.db.insert(apiTokens).values({ name: evil, role: 'agent', tokenHash: 'f'.repeat(64), prefix: 'op_legacy0' });
    } finally {
      await database.close();
    }
    const list = await token(['list']);
    expect(list.code, list.stderr).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal
    expect(list.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(list.stdout).toContain('\\x1b[2J\\x1b]0;owned\\x07\\u{202e}admin\\x0d\\x0afake line');
    const id = /^(\d+)\s+agent\s+\\x1b/m.exec(list.stdout)?.[1];
    const revoked = await token(['revoke', String(id)]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('name "\\x1b[2J');
    expect(revoked.stdout).not.toContain('\u001b');
  });

  it('prints the usage with help or no arguments', async () => {
    for (const args of [[], ['help'], ['--help']]) {
      const help = await token(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('pnpm token create --role <admin|agent|integration> --name');
    }
  });

  it.each([
    ['an unknown role', ['create', '--role', 'root', '--name', 'x'], 'unknown role "root"'],
    ['no role', ['create', '--name', 'x'], '--role is required'],
    ['no name', ['create', '--role', 'agent'], '--name is required'],
    ['an empty name', ['create', '--role', 'agent', '--name', '  '], '--name must be'],
    ['an unknown option', ['create', '--role', 'agent', '--name', 'x', '--expires', '1d'], "Unknown option '--expires'"],
    ['an unknown command', ['rotate', '3'], 'unknown command "rotate"'],
    ['revoke without an id', ['revoke'], 'needs the id'],
    ['revoke with a non-number', ['revoke', 'abc'], '"abc" is not a token id'],
    ['list with extra arguments', ['list', 'all'], 'takes no further arguments'],
  ])('refuses %s with exit 2, printing the usage and no token', async (_label, args, message) => {
    const result = await token(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage:');
    expect(result.stdout).toBe('');
  });

  it('stops with exit 2 and names the variable when the configuration is bad', async () => {
    const result = await token(['list'], { DATABASE_URL: 'mysql://root:secret@localhost/shop' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
    expect(result.stderr).not.toContain('secret');
  });
});
