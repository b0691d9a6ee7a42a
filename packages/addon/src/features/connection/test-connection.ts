import type { Me } from '@orderpost/shared/schemas/me';
import { me as meSchema } from '@orderpost/shared/schemas/me';
import { failureOf } from '../api/api-error.js';
import type { Context } from '../context/context.js';
import { roleCanUseAddon } from '../me/me.js';
import { originPermission, parseApiAddress } from '../settings/settings.js';

export type ConnectionProblem =
  | 'missing-address'
  | 'invalid-address'
  | 'insecure-address'
  | 'missing-token'
  | 'no-permission'
  | 'unreachable'
  | 'unreachable-or-tls'
  | 'timeout'
  | 'bad-token'
  | 'wrong-role'
  | 'not-orderpost'
  | 'server-error';

export type ConnectionReport =
  | { ok: true; tokenName: string; role: Me['token']['role']; shopName: string }
  | { ok: false; problem: ConnectionProblem; detail: string | null };

/**
 * "Test connection": asks `GET /v1/me` with the address and token as typed,
 * and names what is wrong in the seller's terms. A fetch cannot tell a
 * refused connection from an untrusted certificate, so for https both are named.
 */
export async function testConnection(context: Context, apiUrl: string, token: string): Promise<ConnectionReport> {
  const address = parseApiAddress(apiUrl);
  if (!address.ok) {
    const problem =
      address.problem === 'missing' ? 'missing-address' : address.problem === 'insecure' ? 'insecure-address' : 'invalid-address';
    return { ok: false, problem, detail: null };
  }
  if (token.trim() === '') return { ok: false, problem: 'missing-token', detail: null };
  const permitted = await context.host.permissions.contains({ origins: [originPermission(address.origin)] }).catch(() => true);
  if (!permitted) return { ok: false, problem: 'no-permission', detail: address.origin };
  try {
    const found = await context.clientFor(address.baseUrl, token.trim()).get('/v1/me', meSchema);
    if (!roleCanUseAddon(found.token.role)) return { ok: false, problem: 'wrong-role', detail: found.token.role };
    return { ok: true, tokenName: found.token.name, role: found.token.role, shopName: found.shop.name };
  } catch (error) {
    const failure = failureOf(error);
    switch (failure.kind) {
      case 'unreachable':
        return { ok: false, problem: failure.secure ? 'unreachable-or-tls' : 'unreachable', detail: failure.detail };
      case 'timeout':
        return { ok: false, problem: 'timeout', detail: String(failure.afterMs) };
      case 'bad-token':
        return { ok: false, problem: 'bad-token', detail: failure.code };
      case 'wrong-role':
        return { ok: false, problem: 'wrong-role', detail: failure.code };
      case 'http':
        return failure.status >= 500
          ? { ok: false, problem: 'server-error', detail: `${failure.status} ${failure.code}` }
          : { ok: false, problem: 'not-orderpost', detail: `${failure.status} ${failure.code}` };
      default:
        return { ok: false, problem: 'not-orderpost', detail: 'detail' in failure ? failure.detail : null };
    }
  }
}
