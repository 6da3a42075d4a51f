import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { sha256 } from '../store/digest';
import type { LayerEntry } from './entry';
import { clearMemberCache, gzipLayer, memberCacheStats, memberRanges } from './gzip-members';
import { writeLayer, writeTar } from './tar-writer';

const run = promisify(execFile);

/** 600 small sources in 12 folders, a 1 MiB incompressible asset and a long (PAX) name. */
function context(changed?: number): LayerEntry[] {
  const entries: LayerEntry[] = [];
  for (let d = 0; d < 12; d++) entries.push({ path: `src/m${d}`, type: 'directory', mode: 0o755 });
  for (let i = 0; i < 600; i++) {
    const body =
      i === changed ? `export const changed = true;\n` : `export const v${i} = ${i};\n// ${'x'.repeat(i % 400)}\n`;
    entries.push({ path: `src/m${i % 12}/f${i}.ts`, type: 'file', mode: 0o644, content: Buffer.from(body) });
  }
  entries.push({ path: 'assets/blob.bin', type: 'file', mode: 0o644, content: asset });
  entries.push({ path: 'assets', type: 'directory', mode: 0o755 });
  entries.push({ path: `docs/${'long-name-'.repeat(20)}.md`, type: 'file', mode: 0o644, content: Buffer.from('pax') });
  entries.push({ path: 'docs', type: 'directory', mode: 0o755 });
  return entries;
}
const asset = randomBytes(1024 * 1024);

describe('gzip layers in content-defined members', () => {
  const dirs: string[] = [];
  beforeEach(() => clearMemberCache());
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('writes several members that decompress to the tar, the asset in a member of its own', async () => {
    const tar = await writeTar(context());
    const layer = await writeLayer(context());
    expect(gunzipSync(layer.compressed).equals(tar)).toBe(true);
    expect(layer.diffId).toBe(sha256(tar));
    const ranges = memberRanges(tar);
    expect(ranges.length).toBeGreaterThan(2);
    // Contiguous, covering the whole tar, cut only on 512-byte block boundaries.
    expect(ranges[0]![0]).toBe(0);
    expect(ranges.at(-1)![1]).toBe(tar.length);
    for (const [i, [start, end]] of ranges.entries()) {
      expect(start % 512).toBe(0);
      expect(end).toBeGreaterThan(start);
      if (i > 0) expect(start).toBe(ranges[i - 1]![1]);
    }
    const assetAt = tar.indexOf(asset.subarray(0, 64));
    const own = ranges.find(([start, end]) => start <= assetAt && assetAt < end)!;
    expect(own[1] - own[0]).toBe(512 + asset.length);
  });

  it("gives the same bytes with a cold cache, a warm one and one holding another layer's members", async () => {
    const cold = await writeLayer(context());
    const warm = await writeLayer(context());
    expect(warm.compressed.equals(cold.compressed)).toBe(true);
    expect(memberCacheStats().hits).toBeGreaterThan(0);

    // One file changed, built with the first layer's members cached: only its member is compressed again …
    const before = memberCacheStats();
    const changedWarm = await writeLayer(context(300));
    const after = memberCacheStats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(memberRanges(await writeTar(context(300))).length - 1);
    // … and the result is byte for byte what an empty cache gives.
    clearMemberCache();
    const changedCold = await writeLayer(context(300));
    expect(changedWarm.compressed.equals(changedCold.compressed)).toBe(true);
    expect(changedWarm.digest).toBe(changedCold.digest);
    expect(changedCold.digest).not.toBe(cold.digest);
  });

  it('resumes the digests after unchanged leading members and still gives the sha256 of the whole bytes', async () => {
    await writeLayer(context());
    // The asset member leads the src/ members, so this rebuild hashes on from the remembered state after it.
    for (const changed of [599, 300, 0]) {
      const warm = await writeLayer(context(changed));
      expect(warm.digest).toBe(sha256(warm.compressed));
      expect(warm.diffId).toBe(sha256(await writeTar(context(changed))));
    }
    // A layer that ends where a longer one passed through (a prefix of it) gets the state's own digest.
    const first = (await writeTar(context())).subarray(0, memberRanges(await writeTar(context()))[0]![1]);
    const prefix = gzipLayer(first);
    expect(prefix.diffId).toBe(sha256(first));
    expect(prefix.digest).toBe(sha256(prefix.compressed));
  });

  it.runIf(haveTools('tar', 'gzip'))('is read as one stream by gzip and GNU tar', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'govc-members-'));
    dirs.push(dir);
    const layer = await writeLayer(context());
    await writeFile(join(dir, 'layer.tar.gz'), layer.compressed);
    await run('gzip', ['-t', join(dir, 'layer.tar.gz')]);
    await run('tar', ['-xzf', join(dir, 'layer.tar.gz'), '-C', dir]);
    expect((await readFile(join(dir, 'assets', 'blob.bin'))).equals(asset)).toBe(true);
    expect(await readFile(join(dir, 'src', 'm7', 'f499.ts'), 'utf8')).toContain('v499');
  });
});
