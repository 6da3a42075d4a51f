/**
 * The registry client against CNCF distribution (docker-registry on 127.0.0.1, no auth): push and pull bit
 * for bit with chunked uploads, skips and mounts; an image index pulled for the host platform; FROM of a
 * build pulling its base; a broken blob download resumed with Range; credentials from a docker config.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { buildImage } from '../../build/execute/build';
import { hostPlatform, loadImage, putImage } from '../../build/oci/image';
import { MediaType, type Descriptor } from '../../build/oci/types';
import { CacheIndex } from '../../build/plan/cache-index';
import { BubblewrapExecutor } from '../../build/sandbox/bubblewrap';
import { ContentStore } from '../../build/store/content-store';
import { digestOf } from '../digest';
import { tarLayer } from '../image-layout';
import { credentialsFor } from './auth-files';
import { RegistryClient } from './client';
import type { TransferProgress } from './progress';
import { startDistribution, type Distribution } from './testing/distribution';

async function makeImage(store: ContentStore, layers: Buffer[], architecture = hostPlatform().architecture) {
  const blobs = await Promise.all(layers.map((l) => store.put(l)));
  return putImage(
    store,
    {
      architecture,
      os: 'linux',
      config: { Env: ['PATH=/bin'] },
      rootfs: { type: 'layers', diff_ids: blobs.map((b) => b.digest) },
      history: [],
    },
    blobs.map((b) => ({ mediaType: MediaType.layerTar, ...b })),
  );
}

async function sameBlobs(a: ContentStore, b: ContentStore, manifest: Descriptor): Promise<void> {
  const doc = await a.getJson<{ config: Descriptor; layers: Descriptor[] }>(manifest.digest);
  for (const d of [manifest, doc.config, ...doc.layers])
    expect((await b.get(d.digest)).equals(await a.get(d.digest))).toBe(true);
}

describe.runIf(haveTools('docker-registry', 'skopeo'))('registry client against CNCF distribution', () => {
  let registry: Distribution;
  beforeAll(async () => {
    registry = await startDistribution();
  });
  afterAll(() => registry?.stop());

  it('pushes in chunks and pulls back bit for bit; a second push skips, another repository mounts', async () => {
    const store = ContentStore.inMemory();
    const image = await makeImage(store, [
      await tarLayer([{ path: 'big.bin', data: randomBytes(3 * 1024 * 1024 + 5) }]),
      randomBytes(1000),
    ]);
    await store.tag('app:v1', image.descriptor);
    const events: TransferProgress[] = [];
    const client = new RegistryClient(store, { chunkBytes: 1024 * 1024, onProgress: (e) => events.push(e) });
    const first = await client.push('app:v1', `${registry.host}/team/app:v1`);
    expect(first).toMatchObject({ digest: image.descriptor.digest, uploaded: 3, skipped: 0 });
    expect(events.filter((e) => e.state === 'progress').length).toBeGreaterThanOrEqual(1);
    expect((await client.push('app:v1', `${registry.host}/team/app:v2`)).skipped).toBe(3);
    expect((await client.push('app:v1', `${registry.host}/other/app:v1`)).mounted).toBe(3);

    const back = ContentStore.inMemory();
    const pulled = await new RegistryClient(back).pull(`${registry.host}/other/app:v1`);
    expect(pulled).toMatchObject({
      name: `${registry.host}/other/app:v1`,
      descriptor: { digest: image.descriptor.digest },
    });
    await sameBlobs(store, back, image.descriptor);
  });

  it('pushes an image index and pulls the host platform out of it', async () => {
    const store = ContentStore.inMemory();
    const other = hostPlatform().architecture === 'arm64' ? 'amd64' : 'arm64';
    const mine = await makeImage(store, [randomBytes(500)]);
    const theirs = await makeImage(store, [randomBytes(500)], other);
    const index = await store.putJson(
      {
        schemaVersion: 2,
        mediaType: MediaType.index,
        manifests: [
          { ...theirs.descriptor, platform: { os: 'linux', architecture: other } },
          { ...mine.descriptor, platform: { os: 'linux', architecture: hostPlatform().architecture } },
        ],
      },
      MediaType.index,
    );
    await store.tag('multi:1', index);
    await new RegistryClient(store).push('multi:1', `${registry.host}/multi:1`);
    const back = ContentStore.inMemory();
    const pulled = await new RegistryClient(back).pull(`${registry.host}/multi:1`);
    expect(pulled.descriptor.digest).toBe(mine.descriptor.digest);
    expect(await back.has(theirs.manifest.layers[0]!.digest)).toBe(false);
    await sameBlobs(store, back, mine.descriptor);
  });

  it('builds FROM an image of the registry, pulling it first', async () => {
    const seed = ContentStore.inMemory();
    const base = await makeImage(seed, [await tarLayer([{ path: 'etc/base.txt', data: Buffer.from('base\n') }])]);
    await seed.tag('base:1', base.descriptor);
    await new RegistryClient(seed).push('base:1', `${registry.host}/library/base:1`);

    const work = mkdtempSync(join(tmpdir(), 'govc-from-'));
    try {
      writeFileSync(join(work, 'hello.txt'), 'hello\n');
      const store = ContentStore.inMemory();
      const client = new RegistryClient(store);
      const pulls: string[] = [];
      const result = await buildImage(
        {
          store,
          cache: CacheIndex.inMemory(),
          executor: new BubblewrapExecutor(),
          dataDir: join(work, 'data'),
          resolveImage: async (ref) => {
            pulls.push(ref);
            return (await client.pull(ref)).name;
          },
        },
        { contextDir: work, dockerfile: `FROM ${registry.host}/library/base:1\nCOPY hello.txt /\n`, tags: ['built:1'] },
      );
      expect(pulls).toEqual([`${registry.host}/library/base:1`]);
      const built = await loadImage(store, 'built:1');
      expect(built.manifest.layers[0]!.digest).toBe(base.manifest.layers[0]!.digest);
      expect(built.manifest.layers).toHaveLength(2);
      expect(result.digest).toBe(built.descriptor.digest);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('registry client resuming a broken download', () => {
  let server: Server;
  let host: string;
  const layer = randomBytes(2 * 1024 * 1024);
  const ranges: Array<string | undefined> = [];
  let manifest: Buffer;
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );

  beforeAll(async () => {
    manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.manifest,
        config: { mediaType: MediaType.config, digest: digestOf(config), size: config.byteLength },
        layers: [{ mediaType: MediaType.layerTar, digest: digestOf(layer), size: layer.byteLength }],
      }),
    );
    // A registry whose first answer for the layer stops halfway, as a dropped connection does.
    server = createServer((req, res) => {
      const url = req.url ?? '';
      if (url.endsWith('/manifests/v1')) {
        res.writeHead(200, { 'content-type': MediaType.manifest, 'docker-content-digest': digestOf(manifest) });
        return res.end(manifest);
      }
      if (url.endsWith(digestOf(config))) return res.end(config);
      if (url.endsWith(digestOf(layer))) {
        ranges.push(req.headers.range);
        const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
        if (ranges.length === 1) {
          res.writeHead(200, { 'content-length': layer.byteLength });
          res.write(layer.subarray(0, 1024 * 1024), () => res.destroy());
          return;
        }
        res.writeHead(206, { 'content-range': `bytes ${start}-${layer.byteLength - 1}/${layer.byteLength}` });
        return res.end(layer.subarray(start));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks for the missing bytes only and stores the verified blob', async () => {
    const store = ContentStore.inMemory();
    const events: TransferProgress[] = [];
    await new RegistryClient(store, { onProgress: (e) => events.push(e) }).pull(`${host}/flaky/app:v1`);
    expect(ranges[0]).toBeUndefined();
    const resumedAt = Number(/bytes=(\d+)-/.exec(ranges[1] ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(ranges).toHaveLength(2);
    expect((await store.get(digestOf(layer) as `sha256:${string}`)).equals(layer)).toBe(true);
    expect(events.some((e) => e.state === 'resumed' && e.bytes === resumedAt)).toBe(true);
  });
});

describe('credentials from auth files', () => {
  it('reads docker config.json auths from HOME, and REGISTRY_AUTH_FILE first', () => {
    const home = mkdtempSync(join(tmpdir(), 'govc-home-'));
    try {
      mkdirSync(join(home, '.docker'));
      const auth = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
      writeFileSync(
        join(home, '.docker', 'config.json'),
        JSON.stringify({
          auths: {
            'registry.example:5000': auth('alice', 's3:cret'),
            'https://index.docker.io/v1/': auth('bob', 'hub'),
          },
        }),
      );
      const env = { HOME: home };
      expect(credentialsFor('registry.example:5000', env)).toEqual({ username: 'alice', password: 's3:cret' });
      expect(credentialsFor('docker.io', env)).toEqual({ username: 'bob', password: 'hub' });
      expect(credentialsFor('elsewhere.example', env)).toBeUndefined();
      const podman = join(home, 'auth.json');
      writeFileSync(podman, JSON.stringify({ auths: { 'registry.example:5000': auth('carol', 'p') } }));
      expect(credentialsFor('registry.example:5000', { ...env, REGISTRY_AUTH_FILE: podman })?.username).toBe('carol');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
