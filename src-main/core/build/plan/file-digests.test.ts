import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import { CacheIndex } from './cache-index';
import { fileDigest, forgetFileDigests } from './file-digests';

// Small files are read synchronously (file-digests.ts); the spy counts those reads.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('fileDigest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'govc-digests-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads an unchanged file once, and again after any write', async () => {
    forgetFileDigests();
    const path = join(dir, 'a.txt');
    await writeFile(path, 'one');
    // Old enough that the racy rule lets the digest be remembered.
    await new Promise((r) => setTimeout(r, 120));
    const reads = vi.mocked(fs.readFileSync);
    reads.mockClear();
    expect(await fileDigest(path)).toBe(sha('one'));
    expect(await fileDigest(path)).toBe(sha('one'));
    expect(reads).toHaveBeenCalledTimes(1);

    // Same size, mtime put back: the ctime still moves, so the change is seen.
    await writeFile(path, 'two');
    await utimes(path, 0, 0);
    expect(await fileDigest(path)).toBe(sha('two'));
  });

  it('does not remember a file written just before it was read (racy clean)', async () => {
    forgetFileDigests();
    const path = join(dir, 'fresh.txt');
    await writeFile(path, 'fresh');
    const reads = vi.mocked(fs.readFileSync);
    reads.mockClear();
    await fileDigest(path);
    await fileDigest(path);
    expect(reads).toHaveBeenCalledTimes(2);
  });
});

describe('CacheIndex.save', () => {
  it("creates the index's folder when the data folder does not have it yet", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govc-cache-index-'));
    const index = await CacheIndex.open(join(dir, 'build', 'cache.json'));
    index.record({
      key: 'k',
      parentKey: 'p',
      stepId: 's',
      inputs: { instruction: '', text: '', args: {}, sources: {} },
    });
    await index.save();
    expect((await CacheIndex.open(join(dir, 'build', 'cache.json'))).get('k')).toBeDefined();
    await rm(dir, { recursive: true, force: true });
  });
});
