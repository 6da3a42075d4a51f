import type { FastifyRequest } from 'fastify';
import { GovcError } from '../../../src-shared/errors';
import type { Authenticated, ServerAuth } from '../auth';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * 401 without valid credentials. A cookie-authenticated request that changes state must come from our own
 * origin: the cookie is SameSite=Strict already, and this closes the remaining cross-site paths.
 */
export function requireAuth(auth: ServerAuth, request: FastifyRequest): Authenticated {
  const who = auth.authenticate(request);
  if (!who) {
    throw new GovcError(
      'UNAUTHORIZED',
      'This request needs a token: send "Authorization: Bearer <token>", or open the URL that govc serve printed',
    );
  }
  if (who.method === 'cookie' && !SAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `${request.protocol}://${request.headers.host}`) {
      throw new GovcError('FORBIDDEN', `Requests from ${origin} may not use this session`);
    }
  }
  return who;
}
