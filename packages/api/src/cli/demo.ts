import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../services.js';
import { DatabaseInUseError, openDatabase, timeoutsFrom } from '../db/client.js';
import { ConfigError, invocationDirectory, readEnv } from '../env.js';
import { loadOrders, OrdersFileError, readOrdersFile } from '../features/orders/orders.import.js';
import { createLogger } from '../logger.js';

/**
 * `pnpm demo [file]`: loads orders (the corpus format, see demo/orders.json) into
 * the database `pnpm start` uses (DATA_DIR or DATABASE_URL). Running it again
 * changes nothing. On PGlite, stop the server first: one process owns the folder.
 */
const defaultFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'demo', 'orders.json');
const usage =
  'Usage: pnpm demo [orders.json]   (default: packages/api/demo/orders.json; a relative path is read from where you typed the command)';

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const env = readEnv();
  const path = args[0] ? resolve(invocationDirectory(), args[0]) : defaultFile;
  const file = await readOrdersFile(path);
  process.stdout.write(`Read ${file.orders.length} orders of "${file.shop.name}" from ${path}\n`);

  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
    timeouts: timeoutsFrom(env),
  });
  try {
    process.stdout.write(`Loading into ${database.kind} (${database.location})\n`);
    const services = createServices({ database, config: env, logger: createLogger(env.LOG_LEVEL) });
    const result = await loadOrders(services, file, ({ done, total }) => process.stdout.write(`  ${done}/${total} orders\n`));
    const lines = [
      result.shopSettingsApplied
        ? `Shop settings: name "${file.shop.name}", reply-to ${file.shop.email}`
        : 'Shop settings: left as they are (they were already set)',
      `Orders: ${result.orders} in the file: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged` +
        (result.archived > 0 ? `, ${result.archived} archived (left as they are)` : ''),
      `Parcels: ${result.parcels} added`,
      `Sent e-mails: ${result.sentMessages.length} in the file, ${result.sentMessagesRecorded} recorded now (replies to them will match their order)`,
      `Phone numbers read as ${result.defaultCountry.country} when written without a country code (${result.defaultCountry.from === 'file' ? 'from the file' : result.defaultCountry.from === 'phones' ? 'most international numbers in the file are from there' : 'the shop setting'})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await database.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof OrdersFileError) {
    process.stderr.write(`Could not load the orders. ${error.message}\n${usage}\n`);
    process.exit(1);
  }
  const detail =
    error instanceof DatabaseInUseError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`The demo data could not be loaded: ${detail}\n`);
  process.exit(1);
}
