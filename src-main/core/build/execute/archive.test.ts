import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { CacheIndex } from '../plan/cache-index';
import { BubblewrapExecutor } from '../sandbox/bubblewrap';
import { materialise } from '../sandbox/rootfs';
import { ContentStore } from '../store/content-store';
import { buildBusyboxImage } from '../testing/busybox';
import { sniffArchive } from './archive';
import { buildImage, type BuildEngine } from './build';

interface TarItem {
  name: string;
  type?: 'file' | 'directory' | 'symlink';
  content?: string;
  linkname?: string;
  uid?: number;
}

async function tarOf(items: TarItem[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    archive.on('data', (c) => chunks.push(c as Buffer));
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for (const item of items) {
    const type = item.type ?? 'file';
    const header = {
      name: item.name,
      type,
      mode: type === 'directory' ? 0o755 : 0o644,
      uid: item.uid ?? 0,
      gid: item.uid ?? 0,
      ...(item.linkname ? { linkname: item.linkname } : {}),
    };
    if (type === 'file') archive.entry(header, item.content ?? '');
    else archive.entry(header);
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('sniffArchive', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'govc-sniff-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('recognises tars by their bytes, not their names', async () => {
    const tar = await tarOf([{ name: 'a.txt', content: 'a' }]);
    const cases: Array<[string, Buffer, string | undefined]> = [
      ['plain.bin', tar, 'tar'],
      ['gz.bin', gzipSync(tar), 'gzip'],
      ['text.tar.gz', Buffer.from('not an archive'), undefined],
      ['gzipped-text.tar.gz', gzipSync(Buffer.from('just text')), undefined],
      ['b.tar.bz2', Buffer.from('BZh91AY&SY'), 'bzip2'],
    ];
    for (const [name, bytes, kind] of cases) {
      await writeFile(join(dir, name), bytes);
      expect([name, await sniffArchive(join(dir, name))]).toEqual([name, kind]);
    }
  });
});

describe.runIf(haveTools('bwrap', 'busybox'))('ADD of local archives', () => {
  let work: string;
  let context: string;
  let engine: BuildEngine;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-add-'));
    context = join(work, 'context');
    await mkdir(context);
    const tar = await tarOf([
      { name: 'pkg/', type: 'directory' },
      { name: 'pkg/bin/tool', content: 'tool' },
      { name: 'pkg/link', type: 'symlink', linkname: 'bin/tool' },
      { name: 'pkg/owned', content: 'owned', uid: 1000 },
    ]);
    await writeFile(join(context, 'pkg.tar'), tar);
    await writeFile(join(context, 'pkg.tgz'), gzipSync(tar));
    await writeFile(join(context, 'text.tar.gz'), 'not an archive');
    await writeFile(join(context, 'escape.tar'), await tarOf([{ name: '../outside', content: 'x' }]));
    await writeFile(join(context, 'whiteout.tar'), await tarOf([{ name: 'dir/.wh.victim' }]));
    await writeFile(join(context, 'old.tar.bz2'), 'BZh91AY&SY');
    const store = ContentStore.inMemory();
    await buildBusyboxImage(store);
    engine = { store, cache: CacheIndex.inMemory(), executor: new BubblewrapExecutor(), dataDir: join(work, 'data') };
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function rootfsOf(dockerfile: string): Promise<string> {
    const { image } = await buildImage(engine, { contextDir: context, dockerfile });
    const rootfs = await mkdtemp(join(work, 'rootfs-'));
    await materialise(engine.store, image.manifest.layers, rootfs);
    return rootfs;
  }

  it('extracts tar and tar+gzip into the destination, merging with what is there; copies other files', async () => {
    const rootfs = await rootfsOf(
      'FROM busybox\nRUN mkdir -p /opt/pkg && echo kept > /opt/pkg/kept\nADD pkg.tar /opt/\nADD pkg.tgz text.tar.gz /gz\n',
    );
    expect(await readFile(join(rootfs, 'opt/pkg/bin/tool'), 'utf8')).toBe('tool');
    expect(await readFile(join(rootfs, 'opt/pkg/kept'), 'utf8')).toBe('kept\n');
    expect((await lstat(join(rootfs, 'opt/pkg/link'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(rootfs, 'opt/pkg/owned'))).uid).toBe(1000);
    expect(await readFile(join(rootfs, 'gz/pkg/bin/tool'), 'utf8')).toBe('tool');
    expect(await readFile(join(rootfs, 'gz/text.tar.gz'), 'utf8')).toBe('not an archive');
  });

  it('gives --chown to the folders extraction implies, and keeps the owners the archive lists', async () => {
    const rootfs = await rootfsOf('FROM busybox\nADD --chown=1234:1234 pkg.tar /chowned/\n');
    expect((await lstat(join(rootfs, 'chowned'))).uid).toBe(1234);
    expect((await lstat(join(rootfs, 'chowned/pkg'))).uid).toBe(0);
    expect((await lstat(join(rootfs, 'chowned/pkg/bin'))).uid).toBe(1234);
    expect((await lstat(join(rootfs, 'chowned/pkg/bin/tool'))).uid).toBe(0);
  });

  it('refuses hostile archives and whiteouts, and says which archives it cannot extract yet', async () => {
    const build = (dockerfile: string) => buildImage(engine, { contextDir: context, dockerfile });
    await expect(build('FROM busybox\nADD escape.tar /in/\n')).rejects.toMatchObject({
      code: 'HOSTILE_ARCHIVE',
      message: expect.stringContaining('ADD escape.tar'),
    });
    await expect(build('FROM busybox\nADD whiteout.tar /in/\n')).rejects.toMatchObject({ code: 'HOSTILE_ARCHIVE' });
    await expect(build('FROM busybox\nADD old.tar.bz2 /in/\n')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('bzip2'),
    });
    expect(await readdir(work)).not.toContain('outside');
  });
});
