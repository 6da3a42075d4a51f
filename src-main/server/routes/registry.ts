/**
 * Mounts the OCI registry at /v2/ of the headless server and lists its routes in the OpenAPI document
 * (permissions as the auth-matrix test checks them: no credentials → 401, a role without the permission →
 * 403). The protocol itself lives in src-main/server/registry.
 */
import type { FastifyInstance } from 'fastify';
import { describeRoute, type ExtraRoute } from '../openapi';
import { registryPlugin } from '../registry/plugin';
import type { Guard } from './guard';

const ROUTES: Array<[ExtraRoute['method'], string, string, string]> = [
  ['get', '/v2/', 'authenticated', 'Registry API version check (Docker-Distribution-API-Version: registry/2.0).'],
  ['get', '/v2/token', 'public', 'Docker token flow: a short-lived token for `scope=repository:NAME:pull,push`.'],
  ['get', '/v2/_catalog', 'registry:read', 'Repository names; `n` and `last` page them (Link header).'],
  ['get', '/v2/{name}/tags/list', 'registry:read', 'Tags of a repository; `n` and `last` page them.'],
  [
    'get',
    '/v2/{name}/manifests/{reference}',
    'registry:read',
    'A manifest by tag or digest (Accept negotiates the type).',
  ],
  ['head', '/v2/{name}/manifests/{reference}', 'registry:read', 'Whether a manifest exists, its digest and size.'],
  [
    'put',
    '/v2/{name}/manifests/{reference}',
    'registry:write',
    'Pushes a manifest; answers OCI-Subject when it has a subject.',
  ],
  ['delete', '/v2/{name}/manifests/{reference}', 'registry:write', 'Deletes a manifest (by digest) or a tag.'],
  ['get', '/v2/{name}/blobs/{digest}', 'registry:read', 'A blob, whole or by Range (206).'],
  ['head', '/v2/{name}/blobs/{digest}', 'registry:read', 'Whether a blob exists, and its size.'],
  ['delete', '/v2/{name}/blobs/{digest}', 'registry:write', 'Removes a blob from a repository.'],
  [
    'post',
    '/v2/{name}/blobs/uploads/',
    'registry:write',
    'Starts an upload; `?digest=` uploads in one request, `?mount=&from=` mounts.',
  ],
  ['get', '/v2/{name}/blobs/uploads/{uuid}', 'registry:write', 'Upload status: Range and Location.'],
  ['patch', '/v2/{name}/blobs/uploads/{uuid}', 'registry:write', 'Uploads a chunk (Content-Range; 416 out of order).'],
  [
    'put',
    '/v2/{name}/blobs/uploads/{uuid}',
    'registry:write',
    'Closes an upload with `?digest=`; the digest is verified.',
  ],
  ['delete', '/v2/{name}/blobs/uploads/{uuid}', 'registry:write', 'Cancels an upload.'],
  [
    'get',
    '/v2/{name}/referrers/{digest}',
    'registry:read',
    'Manifests whose subject is the digest, as an OCI index (`artifactType` filters).',
  ],
];

export async function registerRegistryRoutes(app: FastifyInstance, guard: Guard): Promise<void> {
  for (const [method, path, permission, summary] of ROUTES) {
    describeRoute({
      method,
      path,
      permission,
      summary,
      responses: { default: { description: 'OCI Distribution Spec' } },
    });
  }
  await app.register(registryPlugin, { engine: guard.engine, auth: guard.auth });
}
