/**
 * The distribution spec over raw HTTP against the headless server's /v2/: uploads (monolithic, chunked,
 * out of order, cancelled), digests (sha256 and sha512), ranges, mounts, manifests and Accept, tags and
 * catalog paging, deletes, referrers, and the spec's error shape.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../core/registry/digest';
import { startRegistryServer } from '../../testing/registry';
import type { TestServer } from '../../testing/server';
import { OCI_MANIFEST, manifestOf, pushBlob, pushImage, req, type Client } from './testkit';

type Errors = { errors: Array<{ code: string; message: string }> };

describe('registry protocol', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => ({ server, client } = await startRegistryServer()));
  afterAll(() => server.stop());

  it('answers the version check and refuses anonymous callers with Bearer and Basic challenges', async () => {
    const ok = await req(client, '/v2/');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    const anonymous = await fetch(`${server.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    const challenge = anonymous.headers.get('www-authenticate')!;
    expect(challenge).toContain(`Bearer realm="${server.url}/v2/token",service="govc-registry"`);
    expect(challenge).toContain('Basic realm="govc-registry"');
    expect(((await anonymous.json()) as Errors).errors[0]!.code).toBe('UNAUTHORIZED');
  });

  it('uploads in ordered chunks, refuses a chunk out of order with 416, and reports progress', async () => {
    const data = randomBytes(3000);
    const start = await req(client, '/v2/chunks/app/blobs/uploads/', {
      method: 'POST',
      headers: { 'content-length': '0' },
    });
    expect(start.status).toBe(202);
    const location = start.headers.get('location')!;
    expect(location).toMatch(/^\/v2\/chunks\/app\/blobs\/uploads\/[0-9a-f-]{36}$/);
    const patch = (from: number, to: number, path = location) =>
      req(client, path, {
        method: 'PATCH',
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${from}-${to - 1}` },
        body: data.subarray(from, to),
      });
    const first = await patch(0, 1000);
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-999');
    const skipped = await patch(2000, 3000, first.headers.get('location')!);
    expect(skipped.status).toBe(416);
    expect(((await skipped.json()) as Errors).errors[0]!.code).toBe('BLOB_UPLOAD_INVALID');
    const status = await req(client, location);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-999');
    expect((await patch(1000, 2000)).status).toBe(202);
    const digest = digestOf(data);
    const close = await req(client, `${location}?digest=${digest}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-range': '2000-2999' },
      body: data.subarray(2000),
    });
    expect(close.status).toBe(201);
    expect(close.headers.get('location')).toBe(`/v2/chunks/app/blobs/${digest}`);
    expect(close.headers.get('docker-content-digest')).toBe(digest);
    const blob = await req(client, `/v2/chunks/app/blobs/${digest}`);
    expect(Buffer.from(await blob.arrayBuffer()).equals(data)).toBe(true);
    expect((await req(client, location)).status).toBe(404);
  });

  it('verifies every digest: a wrong one is refused and nothing becomes visible', async () => {
    const data = Buffer.from('the real bytes');
    const wrong = digestOf(Buffer.from('other bytes'));
    const res = await req(client, `/v2/verify/app/blobs/uploads/?digest=${wrong}`, { method: 'POST', body: data });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Errors).errors[0]!.code).toBe('DIGEST_INVALID');
    expect((await req(client, `/v2/verify/app/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
    expect(server.engine.registry.store.stat(wrong)).toBeUndefined();
    const bad = await req(client, '/v2/verify/app/blobs/uploads/?digest=md5:abc', { method: 'POST', body: data });
    expect(bad.status).toBe(400);
  });

  it('accepts sha512 digests, for monolithic and chunked uploads', async () => {
    const data = randomBytes(5000);
    const digest = digestOf(data, 'sha512');
    expect(
      (await req(client, `/v2/sha/app/blobs/uploads/?digest=${digest}`, { method: 'POST', body: data })).status,
    ).toBe(201);
    const start = await req(client, '/v2/sha/app/blobs/uploads/', { method: 'POST' });
    const other = randomBytes(100);
    await req(client, start.headers.get('location')!, { method: 'PATCH', body: other });
    const closed = await req(client, `${start.headers.get('location')!}?digest=${digestOf(other, 'sha512')}`, {
      method: 'PUT',
    });
    expect(closed.status).toBe(201);
    const got = await req(client, `/v2/sha/app/blobs/${digest}`);
    expect(got.headers.get('docker-content-digest')).toBe(digest);
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);
  });

  it('serves ranges with 206, suffix ranges, and 416 beyond the end', async () => {
    const data = randomBytes(4096);
    const digest = await pushBlob(client, 'range/app', data);
    const part = await req(client, `/v2/range/app/blobs/${digest}`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/4096');
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(100, 200))).toBe(true);
    const tail = await req(client, `/v2/range/app/blobs/${digest}`, { headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(data.subarray(4086))).toBe(true);
    const beyond = await req(client, `/v2/range/app/blobs/${digest}`, { headers: { range: 'bytes=5000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */4096');
    const head = await req(client, `/v2/range/app/blobs/${digest}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('4096');
  });

  it('serves a blob uploaded in many chunks whole and by ranges across chunk boundaries', async () => {
    // 3 MiB + 5 in PATCHes of 700,001 bytes: the memory cache holds the socket's chunks, not one buffer.
    const data = randomBytes(3 * 1024 * 1024 + 5);
    const start = await req(client, '/v2/many/app/blobs/uploads/', { method: 'POST' });
    let location = start.headers.get('location')!;
    for (let at = 0; at < data.byteLength; at += 700_001) {
      const chunk = data.subarray(at, at + 700_001);
      const res = await req(client, location, {
        method: 'PATCH',
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${at}-${at + chunk.byteLength - 1}` },
        body: chunk,
      });
      expect(res.status).toBe(202);
      location = res.headers.get('location')!;
    }
    const digest = digestOf(data);
    expect((await req(client, `${location}?digest=${digest}`, { method: 'PUT' })).status).toBe(201);
    const whole = await req(client, `/v2/many/app/blobs/${digest}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(data.byteLength));
    expect(whole.headers.get('docker-content-digest')).toBe(digest);
    expect(whole.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    const part = await req(client, `/v2/many/app/blobs/${digest}`, { headers: { range: 'bytes=700000-2100002' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 700000-2100002/${data.byteLength}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(700000, 2100003))).toBe(true);
  });

  it('cancels uploads', async () => {
    const start = await req(client, '/v2/cancel/app/blobs/uploads/', { method: 'POST' });
    const location = start.headers.get('location')!;
    expect((await req(client, location, { method: 'DELETE' })).status).toBe(204);
    const gone = await req(client, location);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as Errors).errors[0]!.code).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('mounts a blob from another repository without storing it twice, and falls back to an upload', async () => {
    const data = randomBytes(2048);
    const digest = await pushBlob(client, 'mount/source', data);
    const before = server.engine.registry.store.list().length;
    const mounted = await req(client, `/v2/mount/target/blobs/uploads/?mount=${digest}&from=mount/source`, {
      method: 'POST',
    });
    expect(mounted.status).toBe(201);
    expect(mounted.headers.get('location')).toBe(`/v2/mount/target/blobs/${digest}`);
    expect(server.engine.registry.store.list().length).toBe(before);
    expect((await req(client, `/v2/mount/target/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
    const missing = await req(client, `/v2/mount/target/blobs/uploads/?mount=${digest}&from=mount/elsewhere`, {
      method: 'POST',
    });
    expect(missing.status).toBe(202);
    expect(missing.headers.get('location')).toMatch(/\/blobs\/uploads\//);
  });

  it('stores manifests by tag and digest, honours Accept, and checks what they reference', async () => {
    const layer = randomBytes(1000);
    const digest = await pushImage(client, 'man/app', 'v1', [layer]);
    const byTag = await req(client, '/v2/man/app/manifests/v1', { headers: { accept: OCI_MANIFEST } });
    expect(byTag.status).toBe(200);
    expect(byTag.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(byTag.headers.get('docker-content-digest')).toBe(digest);
    const body = Buffer.from(await byTag.arrayBuffer());
    expect(digestOf(body)).toBe(digest);
    expect(
      (await req(client, `/v2/man/app/manifests/${digest}`, { method: 'HEAD' })).headers.get('content-length'),
    ).toBe(String(body.byteLength));
    const dockerOnly = await req(client, '/v2/man/app/manifests/v1', {
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(dockerOnly.status).toBe(404);
    const missing = manifestOf(Buffer.from('{}'), [randomBytes(10)]);
    const refused = await req(client, '/v2/man/app/manifests/v2', {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: missing,
    });
    expect(((await refused.json()) as Errors).errors[0]!.code).toBe('MANIFEST_BLOB_UNKNOWN');
    const invalid = await req(client, '/v2/man/app/manifests/v3', {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: '{not json',
    });
    expect(((await invalid.json()) as Errors).errors[0]!.code).toBe('MANIFEST_INVALID');
    const wrongDigest = await req(client, `/v2/man/app/manifests/${digestOf(Buffer.from('x'))}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: body,
    });
    expect(((await wrongDigest.json()) as Errors).errors[0]!.code).toBe('DIGEST_INVALID');
  });

  it('stores Docker schema 2 manifests and manifest lists, and refuses a list of unknown manifests', async () => {
    const config = Buffer.from('{"os":"linux"}');
    const layer = randomBytes(64);
    for (const blob of [config, layer]) await pushBlob(client, 'docker/app', blob);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: digestOf(config),
          size: config.byteLength,
        },
        layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: digestOf(layer), size: 64 }],
      }),
    );
    const type = 'application/vnd.docker.distribution.manifest.v2+json';
    expect(
      (
        await req(client, '/v2/docker/app/manifests/amd64', {
          method: 'PUT',
          headers: { 'content-type': type },
          body: manifest,
        })
      ).status,
    ).toBe(201);
    const listType = 'application/vnd.docker.distribution.manifest.list.v2+json';
    const list = (children: string[]) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: listType,
        manifests: children.map((d) => ({
          mediaType: type,
          digest: d,
          size: manifest.byteLength,
          platform: { os: 'linux', architecture: 'amd64' },
        })),
      });
    const ok = await req(client, '/v2/docker/app/manifests/latest', {
      method: 'PUT',
      headers: { 'content-type': listType },
      body: list([digestOf(manifest)]),
    });
    expect(ok.status).toBe(201);
    const got = await req(client, '/v2/docker/app/manifests/latest');
    expect(got.headers.get('content-type')).toBe(listType);
    const unknown = await req(client, '/v2/docker/app/manifests/broken', {
      method: 'PUT',
      headers: { 'content-type': listType },
      body: list([digestOf(Buffer.from('nope'))]),
    });
    expect(((await unknown.json()) as Errors).errors[0]!.code).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('pages tags and the catalog with n, last and Link', async () => {
    const layer = randomBytes(32);
    for (const tag of ['c', 'a', 'b', 'd']) await pushImage(client, 'tags/app', tag, [layer]);
    const all = await req(client, '/v2/tags/app/tags/list');
    expect(await all.json()).toEqual({ name: 'tags/app', tags: ['a', 'b', 'c', 'd'] });
    const first = await req(client, '/v2/tags/app/tags/list?n=2');
    expect(await first.json()).toEqual({ name: 'tags/app', tags: ['a', 'b'] });
    expect(first.headers.get('link')).toBe('</v2/tags/app/tags/list?n=2&last=b>; rel="next"');
    const next = await req(client, '/v2/tags/app/tags/list?n=2&last=b');
    expect(await next.json()).toEqual({ name: 'tags/app', tags: ['c', 'd'] });
    expect(next.headers.get('link')).toBeNull();
    expect(await (await req(client, '/v2/tags/app/tags/list?n=0')).json()).toEqual({ name: 'tags/app', tags: [] });
    expect((await req(client, '/v2/nothing/here/tags/list')).status).toBe(404);
    const catalog = (await (await req(client, '/v2/_catalog?n=1000')).json()) as { repositories: string[] };
    expect(catalog.repositories).toContain('tags/app');
    expect([...catalog.repositories].sort()).toEqual(catalog.repositories);
  });

  it('deletes tags, manifests and blobs', async () => {
    const layer = randomBytes(128);
    const digest = await pushImage(client, 'del/app', 'v1', [layer]);
    await pushImage(client, 'del/app', 'v2', [layer]);
    expect((await req(client, '/v2/del/app/manifests/v2', { method: 'DELETE' })).status).toBe(202);
    expect((await req(client, '/v2/del/app/manifests/v2')).status).toBe(404);
    expect((await req(client, '/v2/del/app/manifests/v1', { method: 'DELETE' })).status).toBe(202);
    expect((await req(client, `/v2/del/app/manifests/${digest}`)).status).toBe(200);
    expect((await req(client, `/v2/del/app/manifests/${digest}`, { method: 'DELETE' })).status).toBe(202);
    expect((await req(client, `/v2/del/app/manifests/${digest}`)).status).toBe(404);
    const blob = digestOf(layer);
    expect((await req(client, `/v2/del/app/blobs/${blob}`, { method: 'DELETE' })).status).toBe(202);
    expect((await req(client, `/v2/del/app/blobs/${blob}`, { method: 'HEAD' })).status).toBe(404);
    expect((await req(client, `/v2/del/app/blobs/${blob}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists referrers as an OCI index, filters by artifactType, and answers OCI-Subject', async () => {
    const subject = await pushImage(client, 'refs/app', 'v1', [randomBytes(16)]);
    const empty = Buffer.from('{}');
    await pushBlob(client, 'refs/app', empty);
    const sbom = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: 'application/vnd.example.sbom.v1',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: digestOf(empty), size: 2 },
        layers: [],
        subject: { mediaType: OCI_MANIFEST, digest: subject, size: 1 },
        annotations: { 'org.example.kind': 'sbom' },
      }),
    );
    const put = await req(client, `/v2/refs/app/manifests/${digestOf(sbom)}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: sbom,
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('oci-subject')).toBe(subject);
    const list = await req(client, `/v2/refs/app/referrers/${subject}`);
    expect(list.headers.get('content-type')).toBe('application/vnd.oci.image.index.v1+json');
    expect(await list.json()).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: digestOf(sbom),
          size: sbom.byteLength,
          artifactType: 'application/vnd.example.sbom.v1',
          annotations: { 'org.example.kind': 'sbom' },
        },
      ],
    });
    const filtered = await req(client, `/v2/refs/app/referrers/${subject}?artifactType=application/vnd.example.sig`);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect(((await filtered.json()) as { manifests: unknown[] }).manifests).toEqual([]);
    expect((await req(client, '/v2/refs/app/referrers/not-a-digest')).status).toBe(400);
  });

  it('emits push and pull events and reports through the contract requests', async () => {
    const seen: Array<{ type: string; repo?: string; data: unknown }> = [];
    const sub = server.engine.bus.subscribe((event) => void seen.push(event), {
      types: ['registry.push', 'registry.pull'],
    });
    const digest = await pushImage(client, 'events/app', 'v1', [randomBytes(16)]);
    await req(client, '/v2/events/app/manifests/v1');
    await new Promise((r) => setTimeout(r, 20));
    sub.dispose();
    expect(seen).toEqual([
      expect.objectContaining({
        type: 'registry.push',
        repo: 'events/app',
        data: { repository: 'events/app', reference: 'v1', digest, media_type: OCI_MANIFEST },
      }),
      expect.objectContaining({ type: 'registry.pull', data: { repository: 'events/app', reference: 'v1', digest } }),
    ]);
    const listed = (await (await server.api('/api/v1/registry/repositories')).json()) as {
      repositories: Array<{ name: string; tags: string[] }>;
      persistent: boolean;
    };
    expect(listed.persistent).toBe(true);
    expect(listed.repositories).toContainEqual(expect.objectContaining({ name: 'events/app', tags: ['v1'] }));
    const gc = await server.api('/api/v1/registry/gc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grace_seconds: 3600 }),
    });
    // Earlier tests deleted manifests and blobs: what nothing holds any more goes, whatever the grace.
    expect(await gc.json()).toMatchObject({ removed: expect.any(Number), uploads_expired: 0 });
    expect((await req(client, `/v2/events/app/manifests/${digest}`)).status).toBe(200);
  });

  it('refuses invalid repository names', async () => {
    const res = await req(client, '/v2/Upper/Case/tags/list');
    expect(res.status).toBe(400);
    expect(((await res.json()) as Errors).errors[0]!.code).toBe('NAME_INVALID');
  });
});
