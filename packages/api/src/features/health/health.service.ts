import { AppError } from '../../errors.js';
import type { Services } from '../../services.js';

/**
 * Ready means the database answers a query within READY_TIMEOUT_MS; which kind
 * it is helps whoever reads the probe. The probe has its own short deadline: a
 * load balancer must hear "not ready" quickly, not wait for the driver to give up.
 */
export async function checkReadiness(services: Services) {
  const { database } = services;
  const timeoutMs = services.config.READY_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([database.ping(), deadline]);
  } catch {
    throw new AppError('NOT_READY', 'The database does not answer');
  } finally {
    clearTimeout(timer);
  }
  return { status: 'ok' as const, database: database.kind };
}
