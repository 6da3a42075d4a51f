/**
 * The registry under concurrency and failure: parallel pushes sharing layers, a client killed mid-upload,
 * and the garbage collector running while pushes are under way.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHex, digestOf } from '../../core/registry/digest';
import { startRegistryServer } from '../../testing/registry';
import type { TestServer } from '../../testing/server';
import { pushImage, req, type Client } from './testkit';

describe('registry under load', () => {
  let server: TestServer;
  let client: Client;
  beforeAll(async () => ({ server, client } = await startRegistryServer()));
  afterAll(() => server.stop());

  it('stores each blob once after 50 parallel pushes sharing layers, and serves every manifest', async () => {
    const shared = [randomBytes(256 * 1024), randomBytes(64 * 1024)];
    const store = server.engine.registry.store;
    const before = store.list().length;
    const pushes = Array.from({ length: 50 }, (_, i) =>
      pushImage(client, `par/app${i % 10}`, `t${i}`, [...shared, Buffer.from(`unique layer ${i}`)]),
    );
    const digests = await Promise.all(pushes);
    // 2 shared layers + 50 unique layers + 50 configs + 50 manifests
    expect(store.list().length - before).toBe(2 + 50 * 3);
    for (const layer of shared) expect(store.stat(digestOf(layer))?.size).toBe(layer.byteLength);
    const files = readdirSync(join(server.dataDir, 'store', 'blobs', 'sha256'));
    expect(files.filter((f) => f === digestHex(digestOf(shared[0]!)))).toHaveLength(1);
    await Promise.all(
      digests.map(async (digest, i) => {
        const res = await req(client, `/v2/par/app${i % 10}/manifests/t${i}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('docker-content-digest')).toBe(digest);
      }),
    );
    expect(server.engine.registry.repos.refCount(digestOf(shared[0]!))).toBe(50);
  });

  it('leaves nothing visible or corrupt when a client dies mid-upload', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const digest = digestOf(data);
    const url = new URL(`${server.url}/v2/killed/app/blobs/uploads/?digest=${digest}`);
    await new Promise<void>((resolve) => {
      const outgoing = request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-length': String(data.byteLength) },
      });
      outgoing.on('error', () => resolve());
      outgoing.write(data.subarray(0, data.byteLength / 2), () => setTimeout(() => outgoing.destroy(), 50));
      outgoing.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 100));
    expect((await req(client, `/v2/killed/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    expect(server.engine.registry.store.stat(digest)).toBeUndefined();
    const blobs = readdirSync(join(server.dataDir, 'store', 'blobs', 'sha256'));
    expect(blobs).not.toContain(digestHex(digest));
    // The server still works, and the same blob can be pushed again whole.
    await pushImage(client, 'killed/app', 'v1', [data]);
    const back = await req(client, `/v2/killed/app/blobs/${digest}`);
    expect(digestOf(Buffer.from(await back.arrayBuffer()))).toBe(digest);
    // A monolithic upload cannot be resumed (the client never got its location): its temp file is gone.
    expect(server.engine.registry.uploads.size).toBe(0);
    expect(readdirSync(join(server.dataDir, 'store', '.uploads'))).toEqual([]);
  });

  it('loses nothing when the GC runs during pushes', async () => {
    const registry = server.engine.registry;
    let running = true;
    let runs = 0;
    const collector = (async () => {
      while (running) {
        await registry.gc();
        runs++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const shared = randomBytes(128 * 1024);
    const pushed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pushImage(client, `gc/app${i % 4}`, `v${i}`, [shared, randomBytes(4096)])),
    );
    running = false;
    await collector;
    expect(runs).toBeGreaterThan(3);
    await registry.gc();
    for (const [i, digest] of pushed.entries()) {
      const manifest = await req(client, `/v2/gc/app${i % 4}/manifests/${digest}`);
      expect(manifest.status).toBe(200);
      const layers = ((await manifest.json()) as { layers: Array<{ digest: string }> }).layers;
      for (const layer of layers)
        expect((await req(client, `/v2/gc/app${i % 4}/blobs/${layer.digest}`, { method: 'HEAD' })).status).toBe(200);
    }
  });

  it('collects what deleted manifests no longer reference, and keeps shared layers', async () => {
    const registry = server.engine.registry;
    const shared = randomBytes(1000);
    const own = randomBytes(1000);
    const keep = await pushImage(client, 'collect/a', 'v1', [shared]);
    const drop = await pushImage(client, 'collect/b', 'v1', [shared, own]);
    expect((await req(client, `/v2/collect/b/manifests/${drop}`, { method: 'DELETE' })).status).toBe(202);
    const report = await registry.gc({ graceMs: 0 });
    expect(report.removed).toContain(digestOf(own));
    expect(report.removed).toContain(drop);
    expect(registry.store.stat(digestOf(shared))).toBeDefined();
    expect((await req(client, `/v2/collect/a/manifests/${keep}`)).status).toBe(200);
    expect((await req(client, `/v2/collect/a/blobs/${digestOf(shared)}`)).status).toBe(200);
  });
});
