/** A corpus of hostile layer tars: each must be refused with a stable code, writing nothing outside the root. */
import { mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLayer } from './apply';

type RawEntry = Partial<Header> & { name: string; body?: Buffer };

/** Builds a tar with raw, unvalidated names, as an attacker would. */
async function rawTar(entries: RawEntry[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => resolve(Buffer.concat(chunks)));
  });
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) =>
      p.entry({ mode: 0o644, ...header }, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve())),
    );
  }
  p.finalize();
  return done;
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A root and an `outside` sibling that must stay empty. */
async function arena(): Promise<{ base: string; root: string; outside: string }> {
  const base = await mkdtemp(join(tmpdir(), 'govc-hostile-'));
  dirs.push(base);
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  return { base, root, outside };
}

const file = (name: string, text = 'pwned'): RawEntry => ({ name, type: 'file', body: Buffer.from(text) });

const attacks: Array<{
  name: string;
  code: string;
  entries: (a: { outside: string }) => RawEntry[];
  prepare?: (root: string, outside: string) => Promise<void>;
}> = [
  { name: 'parent traversal', code: 'HOSTILE_ARCHIVE', entries: () => [file('../outside/pwned')] },
  { name: 'traversal inside a path', code: 'HOSTILE_ARCHIVE', entries: () => [file('a/b/../../../outside/pwned')] },
  { name: 'absolute name', code: 'HOSTILE_ARCHIVE', entries: ({ outside }) => [file(`${outside}/pwned`)] },
  {
    name: 'write through a symlink the archive planted',
    code: 'HOSTILE_ARCHIVE',
    entries: ({ outside }) => [{ name: 'lnk', type: 'symlink', linkname: outside }, file('lnk/pwned')],
  },
  {
    name: 'write through a relative symlink climbing out',
    code: 'HOSTILE_ARCHIVE',
    entries: () => [file('up/pwned')],
    prepare: (root) => symlink('../../outside', join(root, 'up')),
  },
  {
    name: 'hardlink to a file outside',
    code: 'HOSTILE_ARCHIVE',
    entries: () => [{ name: 'h', type: 'link', linkname: '../outside/secret' }],
  },
  {
    name: 'hardlink through a planted symlink',
    code: 'HOSTILE_ARCHIVE',
    entries: ({ outside }) => [
      { name: 'd', type: 'symlink', linkname: outside },
      { name: 'h', type: 'link', linkname: 'd/secret' },
    ],
  },
  {
    name: 'character device',
    code: 'HOSTILE_ARCHIVE',
    entries: () => [{ name: 'dev/mem', type: 'character-device', devmajor: 1, devminor: 1 }],
  },
  {
    name: 'block device',
    code: 'HOSTILE_ARCHIVE',
    entries: () => [{ name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 }],
  },
  { name: 'whiteout naming the parent', code: 'HOSTILE_ARCHIVE', entries: () => [file('a/.wh...')] },
  { name: 'whiteout traversal', code: 'HOSTILE_ARCHIVE', entries: () => [file('../.wh.outside')] },
  { name: 'not a tar at all', code: 'BAD_LAYER', entries: () => [] },
];

describe('applyLayer against hostile archives', () => {
  for (const attack of attacks) {
    it(`refuses ${attack.name}`, async () => {
      const { root, outside, base } = await arena();
      await attack.prepare?.(root, outside);
      const tar =
        attack.name === 'not a tar at all' ? Buffer.from('x'.repeat(1024)) : await rawTar(attack.entries({ outside }));
      await expect(applyLayer(root, tar)).rejects.toMatchObject({ code: attack.code });
      await expect(applyLayer(root, gzipSync(tar))).rejects.toMatchObject({ code: attack.code });
      expect(await readdir(outside)).toEqual([]);
      expect((await readdir(base)).sort()).toEqual(['outside', 'root']);
    });
  }

  it('drops setuid and setgid bits unless allowed', async () => {
    const { root } = await arena();
    const tar = await rawTar([{ ...file('suid'), mode: 0o6755 }]);
    await applyLayer(root, tar);
    expect((await stat(join(root, 'suid'))).mode & 0o7777).toBe(0o755);
    await applyLayer(root, tar, { allowSetuid: true });
    expect((await stat(join(root, 'suid'))).mode & 0o7777).toBe(0o6755);
  });

  it('stops a decompression bomb by ratio and by size', async () => {
    const { root } = await arena();
    const bomb = gzipSync(await rawTar([{ name: 'zeros', type: 'file', body: Buffer.alloc(8 * 1024 * 1024) }]));
    await expect(applyLayer(root, bomb, { ratioFloorBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'HOSTILE_ARCHIVE',
    });
    await expect(applyLayer(root, bomb, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'LAYER_TOO_LARGE' });
    await expect(applyLayer(root, bomb)).resolves.toMatchObject({ entries: 1 });
  });

  it('follows a symlink from the layers below when it stays inside the root', async () => {
    const { root, outside } = await arena();
    await mkdir(join(root, 'usr/lib'), { recursive: true });
    await symlink('/usr/lib', join(root, 'lib'));
    await applyLayer(root, await rawTar([file('lib/libx.so', 'x')]));
    expect((await stat(join(root, 'usr/lib/libx.so'))).size).toBe(1);
    expect(await readdir(outside)).toEqual([]);
  });
});
