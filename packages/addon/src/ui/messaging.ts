import type { AddonRequest } from '@orderpost/shared/schemas/addon';
import type { AddonResponse } from '../features/router/response.js';
import type { Host } from '../host/host.js';

/** Sends one request of the union to the background and returns its answer (a failure when none came). */
export async function send<T>(host: Pick<Host, 'runtime'>, request: AddonRequest): Promise<AddonResponse<T>> {
  try {
    const response = (await host.runtime.sendMessage(request)) as AddonResponse<T> | undefined;
    return response ?? { ok: false, failure: { kind: 'invalid-request', detail: 'no answer from the background' } };
  } catch (error) {
    return { ok: false, failure: { kind: 'invalid-request', detail: error instanceof Error ? error.message : String(error) } };
  }
}
