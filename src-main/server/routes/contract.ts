/**
 * The REST API generated from the contract: one route per request, the input assembled from path
 * parameters, the query string and the JSON body, then handed to the same dispatcher IPC uses.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../../src-shared/client';
import { pathParams, requests, type RequestName } from '../../../src-shared/contract';
import { GovcError } from '../../../src-shared/errors';
import type { Principal } from '../../core/auth/roles';
import { requireAuth, type Guard } from './guard';

const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', role: 'guest' };

/** `/repos/{repo}/files/{path...}` → `/repos/:repo/files/*` */
export function toFastifyPath(path: string): string {
  return path.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\.\.\.\}/g, '*').replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, ':$1');
}

function inputFrom(name: RequestName, request: FastifyRequest): Record<string, unknown> {
  const spec = requests[name];
  const input: Record<string, unknown> = {};
  if (spec.http.method === 'GET' || spec.http.method === 'DELETE') {
    Object.assign(input, request.query as Record<string, unknown>);
  } else if (request.body !== undefined && request.body !== null) {
    if (typeof request.body !== 'object' || Array.isArray(request.body)) {
      throw new GovcError('BAD_REQUEST', 'The request body must be a JSON object');
    }
    Object.assign(input, request.body);
  }
  const params = request.params as Record<string, string>;
  for (const p of pathParams(spec.http.path)) input[p.name] = p.rest ? params['*'] : params[p.name];
  return input;
}

export function registerContractRoutes(app: FastifyInstance, guard: Guard): void {
  for (const name of Object.keys(requests) as RequestName[]) {
    const spec = requests[name];
    const callers = new WeakMap<FastifyRequest, Principal>();
    app.route({
      method: spec.http.method,
      url: API_PREFIX + toFastifyPath(spec.http.path),
      // Authenticate before the body is read: an anonymous caller cannot make the server parse anything.
      onRequest: async (request) => {
        if (spec.permission !== 'public') callers.set(request, requireAuth(guard, request).principal);
      },
      handler: async (request, reply) => {
        const principal = callers.get(request) ?? ANONYMOUS;
        const output = await guard.engine.call(name, inputFrom(name, request), { principal, via: 'http' });
        return reply.code(spec.http.status ?? 200).send(output);
      },
    });
  }
}
