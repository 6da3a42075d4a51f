/**
 * Raw file transfer for scripts: `PUT /api/v1/repos/{repo}/files/{path}` stores the request body, byte for
 * byte and whatever its content type, in the work tree; `GET` of the same path (optionally `?ref=REV`)
 * returns the bytes. The contract carries JSON only, so these two routes live here, in their own Fastify
 * scope with a catch-all Buffer parser and a larger body limit. The JSON equivalents are `repos.files.*`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../../src-shared/client';
import { GovcError } from '../../../src-shared/errors';
import type { FileMode } from '../../core/git/objects';
import { describeRoute } from '../openapi';
import { requirePermission, type Guard } from './guard';

export const FILE_BODY_LIMIT = 64 * 1024 * 1024;
const ROUTE = `${API_PREFIX}/repos/:repo/files/*`;
const MODES = new Set(['100644', '100755', '120000']);

function target(request: FastifyRequest): { repo: string; path: string } {
  const params = request.params as { repo: string; '*': string };
  if (!params['*']) throw new GovcError('INVALID_PATH', 'The URL names no file: /repos/{repo}/files/{path}');
  return { repo: params.repo, path: params['*'] };
}

describeRoute({
  method: 'get',
  path: `${API_PREFIX}/repos/{repo}/files/{path}`,
  summary: 'The raw bytes of a file in the work tree, or at `?ref=REV`.',
  permission: 'repo:read',
  responses: { 200: { description: 'application/octet-stream' }, 404: { description: 'no such repository or file' } },
});
describeRoute({
  method: 'put',
  path: `${API_PREFIX}/repos/{repo}/files/{path}`,
  summary:
    'Writes the raw request body to a file in the work tree (up to 64 MiB); `?mode=100755|120000` sets the mode.',
  permission: 'repo:write',
  requestBody: { content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  responses: { 200: { description: 'written' }, 413: { description: 'larger than 64 MiB' } },
});

export async function fileRoutes(app: FastifyInstance, guard: Guard): Promise<void> {
  // This scope takes every body as bytes: JSON sent here is file content, not an API request.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: FILE_BODY_LIMIT }, (_req, body, done) => {
    done(null, body);
  });

  app.get(ROUTE, async (request, reply) => {
    const { repo, path } = target(request);
    requirePermission(guard, request, 'repo:read', repo);
    const { ref } = request.query as { ref?: string };
    const file = await (await guard.engine.repos.get(repo)).readFile(path, ref || undefined);
    return reply
      .code(200)
      .header('content-type', 'application/octet-stream')
      .header('x-govc-oid', file.entry.oid)
      .header('x-govc-mode', file.entry.mode)
      .send(file.bytes);
  });

  app.put(ROUTE, { bodyLimit: FILE_BODY_LIMIT }, async (request, reply) => {
    const { repo, path } = target(request);
    const who = requirePermission(guard, request, 'repo:write', repo);
    const { mode } = request.query as { mode?: string };
    if (mode !== undefined && !MODES.has(mode)) {
      throw new GovcError('VALIDATION_FAILED', 'Invalid mode: use 100644, 100755 or 120000', {
        issues: [{ path: 'mode', message: 'use 100644, 100755 or 120000' }],
      });
    }
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const r = await guard.engine.repos.get(repo);
    const written = await r.writeFile(path, body, mode as FileMode | undefined, who.principal.id);
    guard.engine.audit.record({ actor: who.principal.id, action: 'repos.files.put', via: 'http', outcome: 'ok', repo });
    return reply.code(200).send(written);
  });
}

/** Registers the raw file routes in their own encapsulated scope. */
export function registerFileRoutes(app: FastifyInstance, guard: Guard): void {
  void app.register(async (scope) => fileRoutes(scope, guard));
}
