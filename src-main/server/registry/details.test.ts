/**
 * `registry.repository` over real HTTP: what was pushed through /v2/ comes back per tag with its media
 * type, sizes, an index's platform manifests and the referrers that name a manifest as their subject.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../core/registry/digest';
import { startRegistryServer } from '../../testing/registry';
import type { TestServer } from '../../testing/server';
import { manifestOf, pushBlob, pushImage, req, type Client } from './testkit';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER = 'application/vnd.docker.distribution.manifest.v2+json';

async function putManifest(client: Client, repo: string, ref: string, type: string, body: Buffer) {
  const res = await req(client, `/v2/${repo}/manifests/${ref}`, {
    method: 'PUT',
    headers: { 'content-type': type },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return res;
}

describe('registry.repository', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => ({ server, client } = await startRegistryServer()));
  afterAll(() => server.stop());

  it('describes each tag: media type, manifest and content sizes, platforms of an index, referrers', async () => {
    const layers = [randomBytes(1000), randomBytes(3000)];
    const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
    const image = await pushImage(client, 'team/app', 'v1', layers, config);
    const imageSize = manifestOf(config, layers).byteLength;

    // A referrer artifact (an SBOM) whose subject is the image; it carries no tag of its own.
    const empty = Buffer.from('{}');
    const sbom = Buffer.from('{"spdxVersion":"SPDX-2.3"}');
    await pushBlob(client, 'team/app', empty);
    await pushBlob(client, 'team/app', sbom);
    const artifact = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI,
        artifactType: 'application/spdx+json',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: 2 },
        layers: [{ mediaType: 'application/spdx+json', digest: digestOf(sbom), size: sbom.byteLength }],
        subject: { mediaType: OCI, digest: image, size: imageSize },
        annotations: { 'org.opencontainers.image.created': '2026-11-28T00:00:00Z' },
      }),
    );
    const put = await putManifest(client, 'team/app', digestOf(artifact), OCI, artifact);
    expect(put.headers.get('oci-subject')).toBe(image);

    // A Docker schema 2 arm64 image, and an index of both platforms tagged "multi".
    const armLayer = randomBytes(500);
    const armConfig = Buffer.from('{"architecture":"arm64","os":"linux"}');
    for (const blob of [armLayer, armConfig]) await pushBlob(client, 'team/app', blob);
    const arm = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: DOCKER,
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: digestOf(armConfig),
          size: armConfig.byteLength,
        },
        layers: [
          {
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: digestOf(armLayer),
            size: 500,
          },
        ],
      }),
    );
    await putManifest(client, 'team/app', digestOf(arm), DOCKER, arm);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: INDEX,
        manifests: [
          { mediaType: OCI, digest: image, size: imageSize, platform: { os: 'linux', architecture: 'amd64' } },
          {
            mediaType: DOCKER,
            digest: digestOf(arm),
            size: arm.byteLength,
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          },
        ],
      }),
    );
    await putManifest(client, 'team/app', 'multi', INDEX, index);

    const answer = await server.call('GET', '/registry/repositories/team/app');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ name: 'team/app', anonymous_pull: false, untagged: 2 });
    const tags = answer.json.tags as Array<{ tag: string; manifest: Record<string, unknown> }>;
    expect(tags.map((t) => t.tag)).toEqual(['multi', 'v1']);
    expect(tags[1]!.manifest).toEqual({
      digest: image,
      media_type: OCI,
      kind: 'image',
      size: imageSize,
      content_size: config.byteLength + 4000,
      layers: 2,
      artifact_type: 'application/vnd.oci.image.config.v1+json',
      manifests: [],
      referrers: [
        {
          digest: digestOf(artifact),
          media_type: OCI,
          artifact_type: 'application/spdx+json',
          size: artifact.byteLength,
          annotations: { 'org.opencontainers.image.created': '2026-11-28T00:00:00Z' },
        },
      ],
    });
    const multi = tags[0]!.manifest;
    expect(multi).toMatchObject({ kind: 'index', media_type: INDEX, size: index.byteLength, layers: 0 });
    expect(multi.content_size).toBe(config.byteLength + 4000 + armConfig.byteLength + 500);
    expect(multi.manifests).toEqual([
      {
        digest: image,
        media_type: OCI,
        platform: 'linux/amd64',
        size: imageSize,
        content_size: config.byteLength + 4000,
        present: true,
      },
      {
        digest: digestOf(arm),
        media_type: DOCKER,
        platform: 'linux/arm64/v8',
        size: arm.byteLength,
        content_size: armConfig.byteLength + 500,
        present: true,
      },
    ]);
  });

  it('answers 404 NOT_FOUND for a repository the registry does not have, 400 for an invalid name', async () => {
    const missing = await server.call('GET', '/registry/repositories/nobody/here');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('nobody/here') });
    const invalid = await server.call('GET', '/registry/repositories/Not_Valid');
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('needs credentials', async () => {
    expect((await server.call('GET', '/registry/repositories/team/app', undefined, '')).status).toBe(401);
  });
});
