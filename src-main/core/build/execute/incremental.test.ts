/**
 * Rebuilds lean on process-wide memos (file digests by stat key, listings, selections, item digests, gzip
 * members). None of them may change what is built: an image rebuilt after a change, with every memo warm
 * from the build before, must be byte for byte the image a fresh process builds from the same context.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearMemberCache, memberCacheStats } from '../layers/gzip-members';
import { CacheIndex } from '../plan/cache-index';
import { forgetFileDigests } from '../plan/file-digests';
import { BubblewrapExecutor } from '../sandbox/bubblewrap';
import { ContentStore } from '../store/content-store';
import { buildImage, type BuildEngine } from './build';
import { forgetSourceMemos } from './sources';

const DOCKERFILE = 'FROM scratch\nCOPY . /app\n';

function engine(): BuildEngine {
  return {
    store: ContentStore.inMemory(),
    cache: CacheIndex.inMemory(),
    executor: new BubblewrapExecutor(),
    dataDir: '/nonexistent',
  };
}

describe('incremental rebuilds', () => {
  let context: string;
  beforeAll(async () => {
    context = await mkdtemp(join(tmpdir(), 'govc-incremental-'));
    for (let d = 0; d < 8; d++) {
      await mkdir(join(context, 'src', `m${d}`), { recursive: true });
      for (let i = 0; i < 40; i++)
        await writeFile(
          join(context, 'src', `m${d}`, `f${i}.ts`),
          `export const v = ${d * 40 + i};\n${'//'.repeat(i * 9)}\n`,
        );
    }
    await writeFile(join(context, 'asset.bin'), randomBytes(512 * 1024));
    await writeFile(join(context, 'Dockerfile'), DOCKERFILE);
    // Older than the racy-clean margin, so the first build remembers every file's digest.
    await new Promise((resolve) => setTimeout(resolve, 120));
  });
  afterAll(() => rm(context, { recursive: true, force: true }));

  it('gives the image a cold build gives, after a file changed and with every memo warm', async () => {
    const warm = engine();
    const request = { contextDir: context, dockerfile: DOCKERFILE };
    const first = await buildImage(warm, request);
    expect((await buildImage(warm, request)).cachedSteps).toBe(1);

    await writeFile(join(context, 'src', 'm3', 'f7.ts'), 'export const v = "changed";\n');
    const before = memberCacheStats();
    const rebuilt = await buildImage(warm, request);
    expect(rebuilt.cachedSteps).toBe(0);
    expect(rebuilt.digest).not.toBe(first.digest);
    // The asset and most small files were not compressed again.
    expect(memberCacheStats().hits - before.hits).toBeGreaterThan(0);

    clearMemberCache();
    forgetFileDigests();
    forgetSourceMemos();
    const cold = await buildImage(engine(), request);
    expect(cold.digest).toBe(rebuilt.digest);
    expect(cold.image.manifest.layers).toEqual(rebuilt.image.manifest.layers);
  });

  it('misses after a mode change, an added file or a same-size rewrite, each seen through the memos', async () => {
    const warm = engine();
    const request = { contextDir: context, dockerfile: DOCKERFILE };
    const digests = new Set([(await buildImage(warm, request)).digest]);
    const changes = [
      () => chmod(join(context, 'src', 'm1', 'f2.ts'), 0o600),
      () => writeFile(join(context, 'src', 'm1', 'new.ts'), 'new'),
      () => writeFile(join(context, 'src', 'm1', 'new.ts'), 'NEW'),
    ];
    for (const change of changes) {
      await change();
      const result = await buildImage(warm, request);
      expect(result.cachedSteps).toBe(0);
      digests.add(result.digest);
    }
    expect(digests.size).toBe(changes.length + 1);
  });

  it('misses after a same-size rewrite of a file once the whole COPY answer is memoised', async () => {
    const warm = engine();
    const request = { contextDir: context, dockerfile: DOCKERFILE };
    const file = join(context, 'src', 'm5', 'f3.ts');
    await buildImage(warm, request);
    // Every digest is remembered by now (the files are older than the racy margin): the COPY is kept whole.
    const kept = await buildImage(warm, request);
    expect(kept.cachedSteps).toBe(1);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('export', 'EXPORT'));
    const rebuilt = await buildImage(warm, request);
    expect(rebuilt.cachedSteps).toBe(0);
    expect(rebuilt.digest).not.toBe(kept.digest);
    expect((await buildImage(warm, request)).cachedSteps).toBe(1);
  });
});
