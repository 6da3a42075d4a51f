import {
  chmod,
  cp,
  link,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../store/digest';
import { applyLayer } from './apply';
import { diffSnapshots } from './diff';
import type { LayerEntry } from './entry';
import { snapshotTree } from './snapshot';
import { writeLayer, writeTar } from './tar-writer';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'govc-layers-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const sample: LayerEntry[] = [
  {
    path: 'usr/bin/tool',
    type: 'file',
    mode: 0o755,
    content: Buffer.from('#!/bin/sh\necho hi\n'),
    mtime: 1_900_000_000,
  },
  { path: 'usr', type: 'directory', mode: 0o755 },
  { path: 'usr/bin', type: 'directory', mode: 0o755 },
  { path: 'usr/bin/alias', type: 'symlink', mode: 0o777, linkname: 'tool' },
  { path: 'usr/bin/zz-hard', type: 'link', mode: 0o755, linkname: 'usr/bin/tool' },
  { path: `usr/${'long-name-'.repeat(15)}`, type: 'file', mode: 0o644, content: Buffer.from('long') },
  { path: 'etc/caf\u00e9', type: 'file', mode: 0o600, uid: 1000, gid: 1000, content: Buffer.from('utf8 name') },
  { path: 'etc', type: 'directory', mode: 0o755 },
  { path: 'home', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
];

describe('writeLayer', () => {
  it('gives identical bytes and digests for the same entries in any order', async () => {
    const a = await writeLayer(sample, { sourceDateEpoch: 1_700_000_000 });
    const b = await writeLayer([...sample].reverse(), { sourceDateEpoch: 1_700_000_000 });
    expect(b.digest).toBe(a.digest);
    expect(b.diffId).toBe(a.diffId);
    expect(sha256(gunzipSync(a.compressed))).toBe(a.diffId);
    expect(a.compressed[9]).toBe(255);
    await expect(
      writeLayer([
        { path: 'a', type: 'link', mode: 0o644, linkname: 'b' },
        { path: 'b', type: 'file', mode: 0o644 },
      ]),
    ).rejects.toMatchObject({ code: 'BAD_LAYER' });
    const other = await writeLayer(sample, { sourceDateEpoch: 1_700_000_001 });
    expect(other.diffId).not.toBe(a.diffId);
  });

  it('sorts entries, clamps mtimes, empties owner names and uses PAX only where ustar cannot say it', async () => {
    const tar = await writeTar(sample, { sourceDateEpoch: 1_700_000_000 });
    const names: string[] = [];
    for (let off = 0; off + 512 <= tar.length;) {
      const header = tar.subarray(off, off + 512);
      if (header.every((b) => b === 0)) break;
      const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
      const size = parseInt(header.subarray(124, 136).toString(), 8) || 0;
      const mtime = parseInt(header.subarray(136, 148).toString(), 8);
      expect(mtime).toBeLessThanOrEqual(1_700_000_000);
      expect(header.subarray(265, 265 + 32).every((b) => b === 0)).toBe(true);
      names.push(String.fromCharCode(header[156]!) === 'x' ? 'PAX' : name);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names).toEqual([
      'etc/',
      'PAX',
      'PaxHeader',
      'home/',
      'usr/',
      'usr/bin/',
      'usr/bin/alias',
      'usr/bin/tool',
      'usr/bin/zz-hard',
      'PAX',
      'PaxHeader',
    ]);
  });
});

describe('applyLayer', () => {
  it('round-trips files, modes, owners, symlinks and hardlinks', async () => {
    const root = await tempDir();
    const layer = await writeLayer(sample);
    const result = await applyLayer(root, layer.compressed);
    expect(result.entries).toBe(9);
    expect(await readFile(join(root, 'usr/bin/tool'), 'utf8')).toContain('echo hi');
    expect((await stat(join(root, 'usr/bin/tool'))).mode & 0o7777).toBe(0o755);
    expect(await readlink(join(root, 'usr/bin/alias'))).toBe('tool');
    expect((await stat(join(root, 'usr/bin/zz-hard'))).ino).toBe((await stat(join(root, 'usr/bin/tool'))).ino);
    const cafe = await stat(join(root, 'etc/caf\u00e9'));
    expect(cafe.mode & 0o777).toBe(0o600);
    if (process.getuid?.() === 0) {
      expect(cafe.uid).toBe(1000);
      expect((await stat(join(root, 'home'))).uid).toBe(1000);
    }
  });

  it('applies whiteouts and opaque directories over the layers below', async () => {
    const root = await tempDir();
    await applyLayer(
      root,
      (
        await writeLayer([
          { path: 'a', type: 'directory', mode: 0o755 },
          { path: 'a/gone', type: 'file', mode: 0o644, content: Buffer.from('x') },
          { path: 'a/kept', type: 'file', mode: 0o644, content: Buffer.from('x') },
          { path: 'o', type: 'directory', mode: 0o755 },
          { path: 'o/old', type: 'file', mode: 0o644, content: Buffer.from('x') },
        ])
      ).compressed,
    );
    await applyLayer(
      root,
      (
        await writeLayer([
          { path: 'a/.wh.gone', type: 'file', mode: 0 },
          { path: 'o/.wh..wh..opq', type: 'file', mode: 0 },
          { path: 'o/new', type: 'file', mode: 0o644, content: Buffer.from('y') },
        ])
      ).compressed,
    );
    expect((await readdir(join(root, 'a'))).sort()).toEqual(['kept']);
    expect(await readdir(join(root, 'o'))).toEqual(['new']);
  });
});

describe('diffSnapshots', () => {
  it('captures additions, changes, deletions (as whiteouts) and hardlinks, and replays onto the old tree', async () => {
    const base = await tempDir();
    const tree = join(base, 'tree');
    await mkdir(join(tree, 'etc/conf.d'), { recursive: true });
    await writeFile(join(tree, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    await writeFile(join(tree, 'etc/conf.d/one'), '1');
    await writeFile(join(tree, 'etc/conf.d/two'), '2');
    await writeFile(join(tree, 'script'), 'echo');
    await writeFile(join(tree, 'untouched'), 'same');
    const replay = join(base, 'replay');
    await cp(tree, replay, { recursive: true, preserveTimestamps: true });
    const before = await snapshotTree(tree);

    await rm(join(tree, 'etc/conf.d'), { recursive: true });
    await unlink(join(tree, 'etc/passwd'));
    await chmod(join(tree, 'script'), 0o755);
    await mkdir(join(tree, 'opt/app'), { recursive: true });
    await writeFile(join(tree, 'opt/app/data'), 'new');
    await link(join(tree, 'opt/app/data'), join(tree, 'opt/app/data-link'));
    await symlink('/opt/app/data', join(tree, 'current'));
    const after = await snapshotTree(tree);

    const diff = diffSnapshots(tree, before, after);
    expect(diff.deleted.sort()).toEqual(['etc/conf.d', 'etc/passwd']);
    expect(diff.modified).toContain('script');
    const paths = diff.entries.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['etc/.wh.conf.d', 'etc/.wh.passwd', 'opt', 'opt/app', 'current']));
    expect(paths).not.toContain('untouched');
    expect(diff.entries.find((e) => e.path === 'opt/app/data-link')).toMatchObject({
      type: 'link',
      linkname: 'opt/app/data',
    });

    await applyLayer(replay, (await writeLayer(diff.entries)).compressed);
    const strip = (s: Awaited<ReturnType<typeof snapshotTree>>) =>
      [...s].map(([p, n]) => [p, n.type, n.mode, n.size, n.linkTarget, n.nlink]).sort();
    expect(strip(await snapshotTree(replay))).toEqual(strip(after));
    expect(await readFile(join(replay, 'opt/app/data-link'), 'utf8')).toBe('new');
  });
});
