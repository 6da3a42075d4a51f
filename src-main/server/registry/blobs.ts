/**
 * Blob routes: pull (GET/HEAD with Range), delete, and the upload protocol (POST to start, monolithic
 * `?digest=`, cross-repository `?mount=&from=`, PATCH chunks, PUT to close, GET status, DELETE cancel).
 * Bodies stream from the socket into the store's writer: no size limit beyond the disk's.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../core/registry/errors';
import { parseAlgorithm, parseDigest } from '../../core/registry/digest';
import type { ByteRange } from '../../core/registry/storage';
import { allows } from '../../core/registry/tokens';
import { parseContentRange, type UploadSession } from '../../core/registry/uploads';
import { authorize, mayAct, type RegistryContext } from './auth';
import { contentLength } from './body';

type Query = Record<string, string | string[] | undefined>;

function one(query: Query, key: string): string | undefined {
  const value = query[key];
  return Array.isArray(value) ? value[0] : value;
}

/** A single `bytes=` range, resolved against the size; undefined for none (or several: the whole blob is sent). */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export async function getBlob(
  ctx: RegistryContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  digest: string,
) {
  authorize(ctx, request, reply, { type: 'repository', name, action: 'pull' });
  parseDigest(digest);
  const registry = ctx.engine.registry;
  const info = registry.blob(name, digest);
  reply
    .header('docker-content-digest', info.digest)
    .header('etag', `"${info.digest}"`)
    .header('accept-ranges', 'bytes')
    .header('cache-control', 'max-age=31536000')
    .type('application/octet-stream');
  const range = parseRange(request.headers.range, info.size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${info.size}`);
    throw new RegistryError(
      'BLOB_UNKNOWN',
      `Range ${request.headers.range} is outside the blob's ${info.size} bytes`,
      { size: info.size },
      416,
    );
  }
  const length = range === undefined ? info.size : range.end - range.start + 1;
  reply.header('content-length', String(length));
  if (range !== undefined) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  if (request.method === 'HEAD') return reply.send();
  const body = await registry.openBlob(name, digest, range);
  reply.raw.on('finish', () => ctx.engine.metrics.registryBytes.inc({ direction: 'out' }, length));
  return Array.isArray(body) ? sendChunks(reply, body) : reply.send(body);
}

/**
 * Writes a blob held as chunks (an upload's, in the memory cache) straight to the socket, corked, so the
 * kernel gets them in one writev without a copy: faster than a stream of them, which writes each chunk on
 * its own. The reply is taken over from fastify for that, its status and headers written here.
 */
function sendChunks(reply: FastifyReply, chunks: Buffer[]) {
  // onSend hooks do not run for a hijacked reply: the one header of the server's security hook that
  // concerns a download is set here.
  reply.header('x-content-type-options', 'nosniff');
  reply.hijack();
  const res = reply.raw;
  res.writeHead(reply.statusCode, reply.getHeaders() as OutgoingHttpHeaders);
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.uncork();
  res.end();
  return reply;
}

export async function deleteBlob(
  ctx: RegistryContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  digest: string,
) {
  authorize(ctx, request, reply, { type: 'repository', name, action: 'delete' });
  ctx.engine.registry.deleteBlob(name, digest);
  return reply.code(202).header('content-length', '0').send();
}

function uploadLocation(name: string, session: UploadSession): string {
  return `/v2/${name}/blobs/uploads/${session.id}`;
}

function sendProgress(reply: FastifyReply, name: string, session: UploadSession, status: number) {
  return reply
    .code(status)
    .header('location', uploadLocation(name, session))
    .header('range', `0-${Math.max(0, session.writer.size - 1)}`)
    .header('docker-upload-uuid', session.id)
    .header('content-length', '0')
    .send();
}

function sendCreated(reply: FastifyReply, name: string, digest: string) {
  return reply
    .code(201)
    .header('location', `/v2/${name}/blobs/${digest}`)
    .header('docker-content-digest', digest)
    .header('content-length', '0')
    .send();
}

/** Appends the request body to a session, counting the bytes that came in. */
async function receive(ctx: RegistryContext, request: FastifyRequest, session: UploadSession, ranged: boolean) {
  const range = ranged ? parseContentRange(request.headers['content-range']) : undefined;
  const before = session.writer.size;
  try {
    await ctx.engine.registry.uploads.append(
      session,
      request.raw,
      range,
      contentLength(request.headers['content-length']),
    );
  } finally {
    ctx.engine.metrics.registryBytes.inc({ direction: 'in' }, session.writer.size - before);
  }
}

export async function startUpload(ctx: RegistryContext, request: FastifyRequest, reply: FastifyReply, name: string) {
  const { principal, grant } = authorize(ctx, request, reply, { type: 'repository', name, action: 'push' });
  const registry = ctx.engine.registry;
  const query = request.query as Query;
  const mount = one(query, 'mount');
  const from = one(query, 'from');
  // A mount reads `from`: the caller, and the token's scope, must allow pulling it (as distribution does).
  const mayRead =
    from !== undefined &&
    mayAct(ctx, principal, from, 'pull') &&
    (grant === undefined || allows(grant, 'repository', from, 'pull'));
  if (mount !== undefined && from !== undefined && mayRead) {
    // A failed mount is not an error: the client gets an upload session and sends the bytes instead.
    const mounted = registry.mount(name, mount, from);
    if (mounted !== undefined) return sendCreated(reply, name, mounted.digest);
  }
  const digest = one(query, 'digest');
  const session = registry.startUpload(
    name,
    digest === undefined
      ? parseAlgorithm(one(query, 'digest-algorithm'))
      : parseAlgorithm(parseDigest(digest).split(':')[0]),
  );
  if (digest === undefined) {
    if ((contentLength(request.headers['content-length']) ?? 0) > 0) await receive(ctx, request, session, false);
    return sendProgress(reply, name, session, 202);
  }
  try {
    await receive(ctx, request, session, false);
  } catch (err) {
    // Nobody holds this session's location: a monolithic upload that fails cannot be resumed.
    await registry.uploads.close(session, true);
    throw err;
  }
  await registry.finishUpload(session, digest);
  return sendCreated(reply, name, digest);
}

export async function continueUpload(
  ctx: RegistryContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  id: string,
) {
  authorize(ctx, request, reply, { type: 'repository', name, action: 'push' });
  const registry = ctx.engine.registry;
  const session = registry.uploads.get(name, id);
  switch (request.method) {
    case 'GET':
      return sendProgress(reply, name, session, 204);
    case 'PATCH':
      await receive(ctx, request, session, request.headers['content-range'] !== undefined);
      return sendProgress(reply, name, session, 202);
    case 'PUT': {
      const digest = parseDigest(one(request.query as Query, 'digest'));
      await receive(ctx, request, session, request.headers['content-range'] !== undefined);
      await registry.finishUpload(session, digest);
      return sendCreated(reply, name, digest);
    }
    case 'DELETE':
      await registry.uploads.close(session, true);
      return reply.code(204).send();
    default:
      throw new RegistryError('UNSUPPORTED', `${request.method} is not supported on an upload`);
  }
}
