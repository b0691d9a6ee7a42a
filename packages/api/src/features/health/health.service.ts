import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';

/** Ready means the database answers a query; which kind it is helps whoever reads the probe. */
export async function checkReadiness(services: Services) {
  const { database } = services;
  try {
    await database.ping();
  } catch {
    throw new AppError('NOT_READY', 'The database does not answer');
  }
  return { status: 'ok' as const, database: database.kind };
}
