/**
 * One store under the build engine and the registry: a layer is stored once whoever writes it, index.json
 * holds both kinds of names, and one GC honours every root (registry manifests, build cache, tags) and the
 * grace period.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../registry/digest';
import { RegistryService } from '../../registry/service';
import { putImage } from '../oci/image';
import { MediaType, REF_NAME } from '../oci/types';
import { CacheIndex } from '../plan/cache-index';
import { ContentStore, REPOSITORY_ANNOTATION } from './content-store';
import { openEngineStore } from './engine-store';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'govc-shared-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function buildImage(store: ContentStore, layer: Buffer, seed: string) {
  const blob = await store.put(layer);
  return putImage(
    store,
    {
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { seed } },
      rootfs: { type: 'layers', diff_ids: [blob.digest] },
      history: [],
    },
    [{ mediaType: MediaType.layerTar, ...blob }],
  );
}

/** Pushes an image of the store into a registry repository through the registry's own upload path. */
async function pushToRegistry(
  registry: RegistryService,
  store: ContentStore,
  repo: string,
  tag: string,
  manifest: Buffer,
) {
  const doc = JSON.parse(manifest.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
  for (const d of [doc.config.digest, ...doc.layers.map((l) => l.digest)]) {
    const session = registry.startUpload(repo);
    await registry.uploads.append(session, [await store.get(d as `sha256:${string}`)]);
    await registry.finishUpload(session, d);
  }
  return registry.putManifest(repo, tag, manifest, MediaType.manifest);
}

describe('the store shared by builds and the registry', () => {
  it('stores a built layer once after pushes to several repositories and tags, and keeps both kinds of names', async () => {
    const dir = tempDir();
    const store = ContentStore.openSync(dir);
    const registry = new RegistryService({ store });
    const layer = randomBytes(200_000);
    const image = await buildImage(store, layer, 'a');
    await store.tag('team/app:v1', image.descriptor);
    const manifest = await store.get(image.descriptor.digest);
    for (const repo of ['team/app', 'other/app']) {
      for (const tag of ['v1', 'latest']) await pushToRegistry(registry, store, repo, tag, manifest);
    }
    // layer, config, manifest: one file each
    expect(readdirSync(join(dir, 'blobs', 'sha256')).sort()).toEqual(
      [image.descriptor.digest, image.manifest.config.digest, digestOf(layer)].map((d) => d.slice(7)).sort(),
    );
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
      manifests: Array<{ annotations: Record<string, string> }>;
    };
    expect(index.manifests.filter((m) => m.annotations[REPOSITORY_ANNOTATION] !== undefined)).toHaveLength(4);
    // The local image and the registry's tag of the same name are told apart by the repository annotation.
    expect(index.manifests.filter((m) => m.annotations[REF_NAME] === 'team/app:v1')).toHaveLength(2);
    expect(store.refs().map((r) => r.name)).toEqual(['team/app:v1']);

    const reopened = ContentStore.openSync(dir);
    const second = new RegistryService({ store: reopened });
    expect(second.loadProblems).toEqual([]);
    expect(second.tags('other/app')).toEqual(['latest', 'v1']);
    expect(reopened.resolve('team/app:v1')?.digest).toBe(image.descriptor.digest);
    await reopened.untag('team/app:v1');
    expect(new RegistryService({ store: ContentStore.openSync(dir) }).tags('team/app')).toEqual(['latest', 'v1']);
  });

  it('runs one GC over registry manifests, build cache layers, tags and the grace period', async () => {
    let now = 1_000_000;
    const store = ContentStore.openSync(tempDir(), { now: () => now });
    const registry = new RegistryService({ store, now: () => now, gcGraceMs: 60_000 });
    const cache = CacheIndex.inMemory();
    store.addRoots(() => cache.layerDigests());

    const pushed = await buildImage(store, randomBytes(1000), 'pushed');
    await pushToRegistry(registry, store, 'team/app', 'v1', await store.get(pushed.descriptor.digest));
    const tagged = await buildImage(store, randomBytes(1000), 'tagged');
    await store.tag('local:v1', tagged.descriptor);
    const cached = await store.put(randomBytes(1000));
    cache.record({
      key: 'k',
      parentKey: 'p',
      stepId: 'Dockerfile#0/1',
      inputs: {} as never,
      layer: { mediaType: MediaType.layerGzip, ...cached, diffId: cached.digest },
    });
    const orphan = await store.put(randomBytes(1000));
    const orphanImage = await buildImage(store, randomBytes(1000), 'orphan');

    expect((await registry.gc()).removed).toEqual([]); // everything is younger than the grace period
    now += 61_000;
    const fresh = await store.put(randomBytes(1000)); // a build under way: not referenced yet
    const report = await registry.gc();
    const orphans = [orphan.digest, orphanImage.descriptor.digest, orphanImage.manifest.config.digest];
    orphans.push(...orphanImage.manifest.layers.map((l) => l.digest));
    expect(report.removed.sort()).toEqual(orphans.sort());
    for (const image of [pushed, tagged]) {
      for (const d of [
        image.descriptor.digest,
        image.manifest.config.digest,
        ...image.manifest.layers.map((l) => l.digest),
      ])
        expect(await store.has(d)).toBe(true);
    }
    expect(await store.has(cached.digest)).toBe(true);
    expect(await store.has(fresh.digest)).toBe(true);
    // The build-side GC (no grace) honours the registry's roots too.
    await store.gc();
    expect(await store.has(pushed.descriptor.digest)).toBe(true);
    expect(await store.has(fresh.digest)).toBe(false);
  });

  it('keeps sha512 blobs under blobs/sha512 and never lets a delete race a put of the same digest', async () => {
    const dir = tempDir();
    const store = ContentStore.openSync(dir);
    const data = randomBytes(5000);
    const info = await store.blobs.put(data, digestOf(data, 'sha512'));
    expect(readdirSync(join(dir, 'blobs', 'sha512'))).toEqual([info.digest.slice(7)]);
    expect(ContentStore.openSync(dir).blobs.stat(info.digest)?.size).toBe(5000);

    const racing = randomBytes(100_000);
    let done = false;
    const put = store.put(racing).finally(() => (done = true));
    // A delete at every turn of the put, including between its rename and its publication.
    while (!done) {
      store.blobs.delete(digestOf(racing));
      await new Promise((r) => setImmediate(r));
    }
    await put;
    expect(await store.has(digestOf(racing) as `sha256:${string}`)).toBe(true);
    expect((await store.get(digestOf(racing) as `sha256:${string}`)).equals(racing)).toBe(true);
  });

  it("moves an older data folder's registry into <dataDir>/store", async () => {
    const data = tempDir();
    const old = new RegistryService({ root: join(data, 'registry'), persist: true });
    const session = old.startUpload('team/app');
    const blob = randomBytes(100);
    await old.uploads.append(session, [blob]);
    await old.finishUpload(session, digestOf(blob));
    const store = openEngineStore(data);
    expect(store.dir).toBe(join(data, 'store'));
    expect(store.blobs.stat(digestOf(blob))?.size).toBe(100);
  });
});
