import type { Role } from '@orderpost/shared';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from './context.js';

/** Bearer-token check; the route lists the roles allowed (admin is always allowed). */
export function requireRole(...allowed: Role[]): MiddlewareHandler<AppEnv> {
  const roles = new Set<Role>(['admin', ...allowed]);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw new AppError('TOKEN_MISSING', 'Send an API token as "Authorization: Bearer <token>"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new AppError('TOKEN_INVALID', 'The Authorization header must be "Bearer <token>"');
    const caller = await c.get('services').tokens.verify(match[1]);
    if (!caller) throw new AppError('TOKEN_INVALID', 'The API token is not valid or has been revoked');
    if (!roles.has(caller.role)) {
      throw new AppError('FORBIDDEN_ROLE', `This needs the role ${[...roles].join(' or ')}; the token has the role ${caller.role}`);
    }
    c.set('caller', caller);
    await next();
  };
}

export const bearerSecurity = [{ bearerAuth: [] }];
