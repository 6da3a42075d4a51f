import { describe, expect, it } from 'vitest';
import { EngineRefusal, fakeEngine, memoryStorage } from './fake-engine.test-kit';
import { createSettingsStore } from './settings';

const stats = (bytes: number, max_bytes: number) => ({ entries: 4, layers: 3, bytes, max_bytes, hits: 7, misses: 2 });

function engine() {
  let settings = { concurrency: 2, auto_delay_ms: 0, default_engine: 'native', cache_max_bytes: 1024 ** 3 };
  let cache = stats(5000, settings.cache_max_bytes);
  return fakeEngine({
    'builds.settings.get': () => settings,
    'builds.settings.set': (input) => {
      settings = { ...settings, ...input };
      cache = stats(cache.bytes, settings.cache_max_bytes);
      return settings;
    },
    'builds.cache.stats': () => cache,
    'builds.cache.prune': ({ all }) => {
      if (all !== true) throw new EngineRefusal('VALIDATION_FAILED', 'expected all');
      const before = cache;
      cache = { ...stats(0, before.max_bytes), entries: 0, layers: 0 };
      return { removed_entries: before.entries, released_bytes: before.bytes, freed_blobs: 3, cache };
    },
    'tokens.list': () => ({ tokens: [] }),
  });
}

describe('settings store: build cache', () => {
  it('reads the cache statistics with the settings', async () => {
    const store = createSettingsStore(engine().link, memoryStorage());
    await store.getState().load();
    expect(store.getState().cache).toMatchObject({ entries: 4, bytes: 5000, max_bytes: 1024 ** 3, hits: 7 });
  });

  it('saves the limit in bytes and reads the statistics again', async () => {
    const fake = engine();
    const store = createSettingsStore(fake.link, memoryStorage());
    await store.getState().load();
    expect(await store.getState().setCacheLimit(256 * 1024 ** 2)).toBe(true);
    expect(fake.calls.find((c) => c.name === 'builds.settings.set')?.input).toEqual({
      cache_max_bytes: 256 * 1024 ** 2,
    });
    expect(store.getState().builds?.cache_max_bytes).toBe(256 * 1024 ** 2);
    expect(store.getState().cache?.max_bytes).toBe(256 * 1024 ** 2);
  });

  it('prunes everything and keeps what was freed', async () => {
    const store = createSettingsStore(engine().link, memoryStorage());
    await store.getState().load();
    await store.getState().pruneCache();
    expect(store.getState().pruned).toMatchObject({ removed_entries: 4, released_bytes: 5000, freed_blobs: 3 });
    expect(store.getState().cache).toMatchObject({ entries: 0, bytes: 0 });
    expect(store.getState().problems.cache).toBeUndefined();
  });

  it('says why the statistics could not be read', async () => {
    const fake = fakeEngine({
      'builds.cache.stats': () => {
        throw new EngineRefusal('FORBIDDEN', 'Needs container:build');
      },
    });
    const store = createSettingsStore(fake.link, memoryStorage());
    await store.getState().loadCacheStats();
    expect(store.getState().problems.cache).toMatch(/statistics: .*container:build/);
  });
});
