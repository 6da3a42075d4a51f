/**
 * Manifest routes (GET/HEAD/PUT/DELETE by tag or digest), tag listing, the catalog and the referrers API.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegistryError } from '../../core/registry/errors';
import { accepts } from '../../core/registry/manifest';
import { MAX_MANIFEST_BYTES } from '../../core/registry/service';
import { authorize, mayAct, type RegistryContext } from './auth';
import { readBody } from './body';

type Query = Record<string, string | string[] | undefined>;

export async function manifestRoute(
  ctx: RegistryContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  reference: string,
) {
  const registry = ctx.engine.registry;
  switch (request.method) {
    case 'GET':
    case 'HEAD': {
      const { principal } = authorize(ctx, request, reply, { type: 'repository', name, action: 'pull' });
      const record = registry.manifest(name, reference);
      if (!accepts(request.headers.accept, record.mediaType)) {
        throw new RegistryError(
          'MANIFEST_UNKNOWN',
          `${reference} is a ${record.mediaType}, which the Accept header excludes`,
          {
            mediaType: record.mediaType,
          },
        );
      }
      reply
        .type(record.mediaType)
        .header('docker-content-digest', record.digest)
        .header('etag', `"${record.digest}"`)
        .header('content-length', String(record.size));
      if (request.method === 'HEAD') return reply.send();
      const { bytes } = await registry.getManifest(name, record.digest);
      ctx.engine.metrics.registryBytes.inc({ direction: 'out' }, bytes.byteLength);
      registry.pulled(name, reference, record.digest, principal?.id);
      return reply.send(bytes);
    }
    case 'PUT': {
      const { principal } = authorize(ctx, request, reply, { type: 'repository', name, action: 'push' });
      const bytes = await readBody(request.raw, MAX_MANIFEST_BYTES);
      ctx.engine.metrics.registryBytes.inc({ direction: 'in' }, bytes.byteLength);
      const record = await registry.putManifest(name, reference, bytes, request.headers['content-type'], principal?.id);
      if (record.subject !== undefined) reply.header('oci-subject', record.subject);
      return reply
        .code(201)
        .header('location', `/v2/${name}/manifests/${record.digest}`)
        .header('docker-content-digest', record.digest)
        .header('content-length', '0')
        .send();
    }
    case 'DELETE':
      authorize(ctx, request, reply, { type: 'repository', name, action: 'delete' });
      registry.deleteManifest(name, reference);
      return reply.code(202).header('content-length', '0').send();
    default:
      throw new RegistryError('UNSUPPORTED', `${request.method} is not supported on manifests`);
  }
}

/** The page of a sorted list after `last`, at most `n` long, and the `Link` to the next page when one exists. */
export function paginate(items: string[], query: Query, path: string): { page: string[]; link?: string } {
  const nText = Array.isArray(query.n) ? query.n[0] : query.n;
  const last = Array.isArray(query.last) ? query.last[0] : query.last;
  let n: number | undefined;
  if (nText !== undefined) {
    if (!/^\d+$/.test(nText))
      throw new RegistryError('UNSUPPORTED', `n must be a non-negative integer`, undefined, 400);
    n = Number(nText);
  }
  const after = last === undefined ? items : items.filter((item) => item > last);
  if (n === undefined) return { page: after };
  const page = after.slice(0, n);
  if (n === 0 || after.length <= n) return { page };
  const next = new URLSearchParams({ n: String(n), last: page[page.length - 1]! });
  return { page, link: `<${path}?${next.toString()}>; rel="next"` };
}

export function listTags(ctx: RegistryContext, request: FastifyRequest, reply: FastifyReply, name: string) {
  authorize(ctx, request, reply, { type: 'repository', name, action: 'pull' });
  const { page, link } = paginate(ctx.engine.registry.tags(name), request.query as Query, `/v2/${name}/tags/list`);
  if (link !== undefined) reply.header('link', link);
  return reply.send({ name, tags: page });
}

export function catalog(ctx: RegistryContext, request: FastifyRequest, reply: FastifyReply) {
  const { principal } = authorize(ctx, request, reply, { type: 'catalog' });
  // Only what the caller may pull: a name is already something a caller without grants should not learn.
  const names = ctx.engine.registry.catalog().filter((name) => mayAct(ctx, principal, name, 'pull'));
  const { page, link } = paginate(names, request.query as Query, '/v2/_catalog');
  if (link !== undefined) reply.header('link', link);
  return reply.send({ repositories: page });
}

export function referrers(
  ctx: RegistryContext,
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  digest: string,
) {
  authorize(ctx, request, reply, { type: 'repository', name, action: 'pull' });
  const query = request.query as Query;
  const artifactType = Array.isArray(query.artifactType) ? query.artifactType[0] : query.artifactType;
  const index = ctx.engine.registry.referrers(name, digest, artifactType);
  if (artifactType !== undefined) reply.header('oci-filters-applied', 'artifactType');
  return reply.type('application/vnd.oci.image.index.v1+json').send(Buffer.from(JSON.stringify(index)));
}
