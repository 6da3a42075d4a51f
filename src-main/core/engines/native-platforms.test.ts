/**
 * Multi-platform builds on the native engine, which has no emulation: FROM scratch and multi-platform
 * bases with COPY and metadata build one image per platform joined in an OCI index; a single-platform base
 * of another platform, or any RUN, is refused with the reason (the RUN lines named).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildEngine } from '../build/execute/build';
import type { BuildEvent } from '../build/execute/events';
import { hostPlatform, loadImage, putImage } from '../build/oci/image';
import { MediaType, type ImageIndex, type ImageManifest } from '../build/oci/types';
import { CacheIndex } from '../build/plan/cache-index';
import { BubblewrapExecutor } from '../build/sandbox/bubblewrap';
import { ContentStore } from '../build/store/content-store';
import { buildBusyboxImage } from '../build/testing/busybox';
import { buildForPlatforms } from './native-platforms';

const host = hostPlatform().architecture;
const other = host === 'arm64' ? 'amd64' : 'arm64';
const platforms = [`linux/${host}`, `linux/${other}`];

describe('native multi-platform builds', () => {
  let work: string;
  let engine: BuildEngine;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-platforms-'));
    const store = await ContentStore.open(join(work, 'store'));
    engine = {
      store,
      cache: await CacheIndex.open(join(work, 'cache.json')),
      executor: new BubblewrapExecutor(),
      dataDir: work,
    };
    await writeFile(join(work, 'a.txt'), 'a\n');
    // A two-platform base: the busybox image, and the same layers labelled as the other architecture.
    const base = await buildBusyboxImage(store);
    const foreign = await putImage(store, { ...base.config, architecture: other }, base.manifest.layers);
    const index: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.index,
      manifests: [
        { ...base.descriptor, platform: { os: 'linux', architecture: host } },
        { ...foreign.descriptor, platform: { os: 'linux', architecture: other } },
      ],
    };
    await store.tag('multi:latest', await store.putJson(index, MediaType.index));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const build = (dockerfile: string, events: BuildEvent[] = [], tags = ['out:latest']) =>
    buildForPlatforms(engine, { contextDir: work, dockerfile, tags, onEvent: (e) => events.push(e) }, platforms);

  it('FROM scratch + COPY: one image per platform with its platform in the config, in a tagged index', async () => {
    const events: BuildEvent[] = [];
    const result = await build('FROM scratch\nCOPY a.txt /a.txt\nLABEL x=y\n', events);
    expect(result.descriptor.mediaType).toBe(MediaType.index);
    expect(engine.store.resolve('out:latest')?.digest).toBe(result.digest);
    const index = await engine.store.getJson<ImageIndex>(result.digest);
    expect(index.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: host },
      { os: 'linux', architecture: other },
    ]);
    const images = await Promise.all(index.manifests.map((m) => loadImage(engine.store, m)));
    expect(images.map((i) => i.config.architecture)).toEqual([host, other]);
    expect(images[0]!.manifest.layers).toEqual(images[1]!.manifest.layers);
    // Step ids continue across platforms; stages carry the platform, as BuildKit shows them.
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.map((e) => `#${e.id} [${e.stage}] ${e.text}`)).toEqual([
      `#1 [linux/${host} stage-0] FROM scratch`,
      `#2 [linux/${host} stage-0] COPY a.txt /a.txt`,
      `#3 [linux/${other} stage-0] FROM scratch`,
      `#4 [linux/${other} stage-0] COPY a.txt /a.txt`,
    ]);
    expect(result.size).toBeGreaterThan(result.descriptor.size);
  });

  it("a multi-platform base gives each platform's image that platform's base", async () => {
    const result = await build('FROM multi\nCOPY a.txt /a.txt\n');
    const index = await engine.store.getJson<ImageIndex>(result.digest);
    const configs = await Promise.all(index.manifests.map((m) => loadImage(engine.store, m)));
    expect(configs.map((c) => c.config.architecture)).toEqual([host, other]);
    const baseIndex = await engine.store.getJson<ImageIndex>(engine.store.resolve('multi:latest')!.digest);
    for (const [i, m] of index.manifests.entries()) {
      const manifest = await engine.store.getJson<ImageManifest>(m.digest);
      const base = await engine.store.getJson<ImageManifest>(baseIndex.manifests[i]!.digest);
      expect(manifest.layers[0]).toEqual(base.layers[0]);
    }
  });

  it('refuses a single-platform base of another platform, and RUN steps, naming them', async () => {
    await expect(build('FROM busybox\nCOPY a.txt /a.txt\n')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining(`linux/${host} only`),
    });
    await expect(build('FROM multi\nCOPY a.txt /a.txt\nRUN make\nRUN make install\n')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('line 3: RUN make; line 4: RUN make install'),
      details: { platforms: [`linux/${other}`] },
    });
  });
});
