import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheIndex } from './cache-index';

const inputs = { instruction: '{}', text: 'RUN x', args: {}, sources: {} };

function layer(n: number, size: number) {
  const digest = `sha256:${String(n).padStart(64, '0')}` as const;
  return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size, diffId: digest };
}

async function filled(): Promise<CacheIndex> {
  const cache = CacheIndex.inMemory();
  let now = 1_000;
  const realNow = Date.now;
  Date.now = () => now;
  try {
    for (let i = 1; i <= 4; i++) {
      now += 1_000;
      cache.record({ key: `k${i}`, parentKey: 'p', stepId: `D#s/${i}`, inputs, layer: layer(i, 100 * i) });
    }
    now += 1_000;
    cache.get('k1'); // k1 is now the most recently used
  } finally {
    Date.now = realNow;
  }
  return cache;
}

describe('build cache limits', () => {
  it('counts layers, bytes, hits and misses', async () => {
    const cache = await filled();
    cache.get('nope');
    expect(cache.stats()).toMatchObject({ entries: 4, layers: 4, bytes: 1000, hits: 1, misses: 1 });
  });

  it('forgets the least recently used steps until the layers fit, and says what it released', async () => {
    const cache = await filled();
    const result = cache.prune(500);
    // k2 (200) and k3 (300) were used longest ago; k1 was used last, k4 is the newest record.
    expect(result).toEqual({ removed_entries: 2, released_bytes: 500 });
    expect(cache.get('k1')).toBeDefined();
    expect(cache.get('k4')).toBeDefined();
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.layerDigests()).toHaveLength(2);
  });

  it('prunes everything with a limit of 0', async () => {
    const cache = await filled();
    expect(cache.prune(0)).toEqual({ removed_entries: 4, released_bytes: 1000 });
    expect(cache.stats().entries).toBe(0);
  });

  it('enforces its size limit when it saves', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'govc-cache-')), 'cache.json');
    const cache = await CacheIndex.open(file);
    cache.maxBytes = 250;
    for (let i = 1; i <= 3; i++)
      cache.record({ key: `k${i}`, parentKey: 'p', stepId: `D#s/${i}`, inputs, layer: layer(i, 100) });
    await cache.save();
    const reopened = await CacheIndex.open(file);
    expect(reopened.stats().bytes).toBeLessThanOrEqual(250);
  });

  it('saves the use times that changed since an entry was recorded, in plain JSON', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'govc-cache-')), 'cache.json');
    const cache = await CacheIndex.open(file);
    const sources = { 'src/a.ts': 'sha256:aa', 'src/"quoted".ts': 'sha256:bb' };
    cache.record({ key: 'k1', parentKey: 'p', stepId: 'D#s/1', inputs: { ...inputs, sources }, layer: layer(1, 10) });
    cache.record({ key: 'k2', parentKey: 'k1', stepId: 'D#s/2', inputs });
    await cache.save();
    const used = cache.get('k1')!;
    used.usedAt += 5_000; // a later use, after the entry was serialised once
    await cache.save();
    const saved = JSON.parse(await readFile(file, 'utf8')) as { version: number; entries: Array<{ key: string }> };
    expect(saved.version).toBe(1);
    const k1 = saved.entries.find((e) => e.key === 'k1');
    expect(k1).toEqual(JSON.parse(JSON.stringify(used)));
    const reopened = await CacheIndex.open(file);
    expect(reopened.get('k1')?.inputs.sources).toEqual(sources);
    expect(reopened.get('k2')?.parentKey).toBe('k1');
  });
});
