import { type Role, roles } from '@orderpost/shared';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import { clientAddress } from './client-address.js';
import type { AppEnv } from './context.js';

/**
 * What a route spreads into its `createRoute` config to need a token: the
 * bearer scheme, the role check, and the roles in the OpenAPI document
 * (`x-required-roles`: any one of them will do), so API users see who may
 * call it and the security tests know without a hand-kept list.
 */
export function authorize(...allowed: Role[]) {
  return {
    security: bearerSecurity,
    middleware: [requireRole(...allowed)],
    'x-required-roles': allowedRoles(allowed),
  };
}

/** The roles a route allows: admin always, then the ones it lists, in the order of `roles`. */
export function allowedRoles(allowed: readonly Role[]): Role[] {
  return roles.filter((role) => role === 'admin' || allowed.includes(role));
}

/**
 * Bearer-token check; the route lists the roles allowed (admin is always
 * allowed). Routes use it through `authorize`. An address with too many failed
 * checks (AUTH_FAILURE_LIMIT per AUTH_FAILURE_WINDOW_SECONDS) gets 429
 * RATE_LIMITED for every authenticated request, a correct token included,
 * until its window ends (another process may let a correct token through for
 * up to a second after the limit is hit; failures are refused everywhere at
 * once, their count being the database's).
 */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  const roles = new Set<Role>(allowedRoles(allowed));
  return async (c, next) => {
    const services = c.get('services');
    const client = clientAddress(c, services.config.TRUST_PROXY);
    const limited = (retryAfter: number | null) => {
      if (retryAfter === null) return;
      throw new AppError(
        'RATE_LIMITED',
        'Too many failed token checks from this address; try again later',
        undefined,
        undefined,
        retryAfter,
      );
    };
    limited(await services.authFailures.retryAfter(client));
    const header = c.req.header('authorization');
    if (!header) throw new AppError('TOKEN_MISSING', 'Send an API token as "Authorization: Bearer <token>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      limited(await services.authFailures.recordFailure(client));
      throw new AppError('TOKEN_INVALID', 'The Authorization header must be "Bearer <token>"');
    }
    const caller = await services.tokens.verify(match[1]);
    if (!caller) {
      limited(await services.authFailures.recordFailure(client));
      throw new AppError('TOKEN_INVALID', 'The API token is not valid or has been revoked');
    }
    if (!roles.has(caller.role)) {
      throw new AppError('FORBIDDEN_ROLE', `This needs the role ${[...roles].join(' or ')}; the token has the role ${caller.role}`);
    }
    c.set('caller', caller);
    await next();
  };
}

export const bearerSecurity = [{ bearerAuth: [] }];
