/**
 * The local-images REST API through a real server: list, inspect (layers with their instructions), export
 * to the server's disk, delete with and without pruning, and each route's errors (400 with the field, 401,
 * 403, 404, 409).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putSampleImage } from '../core/images/sample-image';
import { startTestServer, type TestServer } from '../testing/server';

type Json = Record<string, unknown>;

describe('images over REST', () => {
  let server: TestServer;
  let work: string;
  let guest: string;
  let reader: string;
  let digest: string;

  const call = (method: string, path: string, body?: unknown, token?: string) => server.call(method, path, body, token);
  const error = (r: { json: Json }) => r.json.error as { code: string; message: string };

  beforeAll(async () => {
    server = await startTestServer({ rateLimit: { perSecond: 100_000, burst: 100_000 } });
    work = await mkdtemp(join(tmpdir(), 'govc-images-rest-'));
    digest = (await putSampleImage(server.engine.store, 'shop/app:1')).descriptor.digest;
    await putSampleImage(server.engine.store, 'other:1', 'other\n');
    guest = (await call('POST', '/tokens', { name: 'guest', role: 'guest' })).json.token as string;
    reader = (await call('POST', '/tokens', { name: 'reader', role: 'reader' })).json.token as string;
  });
  afterAll(async () => {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('lists local images with paging, for a guest too', async () => {
    const all = await call('GET', '/images', undefined, guest);
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(2);
    const page = await call('GET', '/images?limit=1&offset=1');
    expect((page.json.images as Json[]).length).toBe(1);
    const bad = await call('GET', '/images?limit=zero');
    expect(bad.status).toBe(400);
    expect(error(bad).message).toContain('limit');
    expect((await fetch(`${server.url}/api/v1/images`)).status).toBe(401);
  });

  it('inspects an image by name (slashes and colon in the path) or digest, 404 for an unknown one', async () => {
    const got = await call('GET', '/images/shop/app:1', undefined, reader);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({ names: ['shop/app:1'], digest, config: { WorkingDir: '/app' } });
    expect((got.json.layer_list as Json[]).map((l) => l.created_by)).toEqual(['COPY hello.txt /', 'COPY run.sh /app/']);
    expect((await call('GET', `/images/${digest}`)).json.names).toEqual(['shop/app:1']);
    const missing = await call('GET', '/images/nope:1');
    expect(missing.status).toBe(404);
    expect(error(missing).code).toBe('NOT_FOUND');
    expect((await fetch(`${server.url}/api/v1/images/shop/app:1`)).status).toBe(401);
  });

  it('exports to an absolute empty path on the server, refusing relative and taken ones', async () => {
    const dest = join(work, 'layout');
    const done = await call('POST', '/images/export', { ref: 'shop/app:1', format: 'oci', dest });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ digest, format: 'oci', dest });
    expect(existsSync(join(dest, 'index.json'))).toBe(true);
    const again = await call('POST', '/images/export', { ref: 'shop/app:1', format: 'oci', dest });
    expect(again.status).toBe(409);
    expect(error(again).code).toBe('EXPORT_TARGET_NOT_EMPTY');
    const relative = await call('POST', '/images/export', { ref: 'shop/app:1', format: 'oci', dest: 'out/x' });
    expect(relative.status).toBe(400);
    expect(error(relative).message).toContain('dest');
    const format = await call('POST', '/images/export', { ref: 'shop/app:1', format: 'zip', dest });
    expect(format.status).toBe(400);
    expect(error(format).message).toContain('format');
    const missing = await call('POST', '/images/export', { ref: 'nope:1', format: 'oci', dest: join(work, 'n') });
    expect(missing.status).toBe(404);
    const denied = await call('POST', '/images/export', { ref: 'shop/app:1', format: 'oci', dest }, reader);
    expect(denied.status).toBe(403);
    const archive = join(work, 'app.tar');
    expect(
      (await call('POST', '/images/export', { ref: 'shop/app:1', format: 'docker-archive', dest: archive })).status,
    ).toBe(200);
    expect(existsSync(archive)).toBe(true);
  });

  it('deletes (403 for a guest, 404 unknown, 400 bad prune) and prunes when asked', async () => {
    const events: string[] = [];
    const subscription = server.engine.bus.subscribe((e) => void events.push(e.type));
    const denied = await call('DELETE', '/images/other:1', undefined, guest);
    expect(denied.status).toBe(403);
    expect(error(denied).code).toBe('FORBIDDEN');
    expect((await call('DELETE', '/images/other:1?prune=maybe')).status).toBe(400);
    expect((await call('DELETE', '/images/nope:1')).status).toBe(404);
    const deleted = await call('DELETE', '/images/other:1');
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ untagged: ['other:1'] });
    expect(deleted.json.removed_blobs).toBeUndefined();
    const pruned = await call('DELETE', `/images/${digest}?prune=true`);
    expect(pruned.json).toMatchObject({ digest, untagged: ['shop/app:1'] });
    expect(pruned.json.removed_blobs).toEqual(expect.any(Number));
    expect((await call('GET', '/images')).json.total).toBe(0);
    await expect.poll(() => events.filter((t) => t === 'image.deleted').length).toBe(2);
    subscription.dispose();
  });
});
