/**
 * The OCI Distribution Spec v1.1 server as a fastify plugin, mounted at /v2/ of the headless server and
 * of the standalone registry server. Registered encapsulated: its content-type parser hands every body to
 * the handlers as the raw request stream (so blob uploads stream and escape the API's 1 MiB JSON limit),
 * and its error handler answers in the spec's `{"errors":[…]}` shape.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GovcError } from '../../../src-shared/errors';
import { RegistryError } from '../../core/registry/errors';
import { authorize, type RegistryContext } from './auth';
import { continueUpload, deleteBlob, getBlob, startUpload } from './blobs';
import { catalog, listTags, manifestRoute, referrers } from './manifests';
import { parseRegistryPath } from './paths';
import { tokenEndpoint } from './token';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function unsupported(request: FastifyRequest): RegistryError {
  return new RegistryError('UNSUPPORTED', `${request.method} is not supported here`);
}

async function handle(ctx: RegistryContext, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const path = parseRegistryPath(request.url.split('?', 1)[0]!.slice('/v2'.length));
  const method = request.method;
  const read = method === 'GET' || method === 'HEAD';
  switch (path.kind) {
    case 'base':
      if (!read) throw unsupported(request);
      authorize(ctx, request, reply, { type: 'base' });
      return reply.send({});
    case 'token':
      return tokenEndpoint(ctx, request, reply);
    case 'catalog':
      if (method !== 'GET') throw unsupported(request);
      return catalog(ctx, request, reply);
    case 'tags':
      if (method !== 'GET') throw unsupported(request);
      return listTags(ctx, request, reply, path.name);
    case 'referrers':
      if (method !== 'GET') throw unsupported(request);
      return referrers(ctx, request, reply, path.name, path.digest);
    case 'manifest':
      return manifestRoute(ctx, request, reply, path.name, path.reference);
    case 'blob':
      if (read) return getBlob(ctx, request, reply, path.name, path.digest);
      if (method === 'DELETE') return deleteBlob(ctx, request, reply, path.name, path.digest);
      throw unsupported(request);
    case 'uploads':
      if (method !== 'POST') throw unsupported(request);
      return startUpload(ctx, request, reply, path.name);
    case 'upload':
      return continueUpload(ctx, request, reply, path.name, path.id);
  }
}

/** Any failure as a registry error; unexpected ones become a 500 whose details stay in the log. */
export function toRegistryError(err: unknown): RegistryError {
  if (err instanceof RegistryError) return err;
  if (err instanceof GovcError) {
    if (err.code === 'UNAUTHORIZED') return new RegistryError('UNAUTHORIZED', err.message);
    if (err.code === 'FORBIDDEN') return new RegistryError('DENIED', err.message);
    if (err.code === 'RATE_LIMITED') return new RegistryError('TOOMANYREQUESTS', err.message);
  }
  const status = (err as FastifyError).statusCode;
  if (status === 415) return new RegistryError('UNSUPPORTED', 'Unsupported content type', undefined, 415);
  if (status !== undefined && status >= 400 && status < 500)
    return new RegistryError('UNSUPPORTED', (err as Error).message, undefined, status);
  const error = new RegistryError(
    'UNSUPPORTED',
    'The registry failed to handle this request; see its log',
    undefined,
    500,
  );
  return Object.assign(error, { code: 'UNKNOWN' as never });
}

export async function registryPlugin(app: FastifyInstance, ctx: RegistryContext): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('docker-distribution-api-version', 'registry/2.0');
  });
  app.setErrorHandler((err, request, reply) => {
    const error = toRegistryError(err);
    if (error.status >= 500) request.log.error({ err }, 'registry request failed');
    return reply.code(error.status).type('application/json').send(error.toJSON());
  });
  const handler = (request: FastifyRequest, reply: FastifyReply) => handle(ctx, request, reply);
  app.route({ method: [...METHODS], url: '/v2', handler, exposeHeadRoute: false });
  app.route({ method: [...METHODS], url: '/v2/*', handler, exposeHeadRoute: false });
}
