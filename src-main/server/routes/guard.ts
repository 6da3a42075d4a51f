import type { FastifyRequest } from 'fastify';
import type { Permission } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import { can } from '../../core/auth/roles';
import type { Engine } from '../../core/engine';
import type { Authenticated, ServerAuth } from '../auth';
import type { RateLimiter } from '../ratelimit';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Guard {
  auth: ServerAuth;
  limiter: RateLimiter;
  engine: Engine;
}

/**
 * The door every protected route goes through: 401 without valid credentials, 429 past the caller's rate
 * limit, and 403 for a cookie-authenticated write from another origin (the cookie is SameSite=Strict
 * already; this closes the remaining cross-site paths). Refusals are audited.
 */
export function requireAuth(guard: Guard, request: FastifyRequest): Authenticated {
  const who = guard.auth.authenticate(request);
  if (!who) {
    guard.engine.audit.record({
      actor: 'anonymous',
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      via: 'http',
      outcome: 'denied',
      code: 'UNAUTHORIZED',
    });
    throw new GovcError(
      'UNAUTHORIZED',
      'This request needs a token: send "Authorization: Bearer <token>", or open the URL that govc serve printed',
    );
  }
  const wait = guard.limiter.take(who.principal.id);
  if (wait > 0) {
    throw new GovcError('RATE_LIMITED', `Too many requests: try again in ${Math.ceil(wait)} s`, {
      retry_after: Math.ceil(wait),
    });
  }
  if (who.method === 'cookie' && !SAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `${request.protocol}://${request.headers.host}`) {
      throw new GovcError('FORBIDDEN', `Requests from ${origin} may not use this session`);
    }
  }
  return who;
}

/** requireAuth plus one permission (for routes outside the contract, such as raw file transfers). */
export function requirePermission(
  guard: Guard,
  request: FastifyRequest,
  permission: Permission,
  repo?: string,
): Authenticated {
  const who = requireAuth(guard, request);
  if (!can(who.principal, permission, repo)) {
    guard.engine.audit.record({
      actor: who.principal.id,
      action: `${request.method} ${request.routeOptions.url ?? request.url}`,
      via: 'http',
      outcome: 'denied',
      code: 'FORBIDDEN',
      ...(repo === undefined ? {} : { repo }),
    });
    throw new GovcError(
      'FORBIDDEN',
      `This request needs the ${permission} permission${repo === undefined ? '' : ` on repository ${repo}`}`,
      {
        permission,
      },
    );
  }
  return who;
}
