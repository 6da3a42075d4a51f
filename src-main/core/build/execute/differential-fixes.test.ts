/**
 * Regression tests for what the differential test against buildah caught (see differential/): each case is
 * the smallest build that showed the difference, checked on the image's unpacked layers.
 */
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { CacheIndex } from '../plan/cache-index';
import { BubblewrapExecutor } from '../sandbox/bubblewrap';
import { materialise } from '../sandbox/rootfs';
import { ContentStore } from '../store/content-store';
import { buildBusyboxImage } from '../testing/busybox';
import { buildImage, type BuildEngine } from './build';

describe.runIf(haveTools('bwrap', 'busybox'))('fixes found by the differential test', () => {
  let work: string;
  let context: string;
  let engine: BuildEngine;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-fixes-'));
    context = join(work, 'context');
    await mkdir(join(context, 'bin'), { recursive: true });
    await writeFile(join(context, 'bin/app'), 'app');
    await writeFile(join(context, 'file.txt'), 'file');
    const store = ContentStore.inMemory();
    await buildBusyboxImage(store);
    engine = { store, cache: CacheIndex.inMemory(), executor: new BubblewrapExecutor(), dataDir: join(work, 'data') };
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  /** Builds and unpacks the image into a fresh folder. */
  async function rootfsOf(dockerfile: string): Promise<string> {
    const { image } = await buildImage(engine, { contextDir: context, dockerfile });
    const rootfs = await mkdtemp(join(work, 'rootfs-'));
    await materialise(engine.store, image.manifest.layers, rootfs);
    return rootfs;
  }

  it('copies a folder holding a single file as a folder', async () => {
    const rootfs = await rootfsOf('FROM busybox\nCOPY bin /usr/local/bin\n');
    expect((await lstat(join(rootfs, 'usr/local/bin'))).isDirectory()).toBe(true);
    expect(await readFile(join(rootfs, 'usr/local/bin/app'), 'utf8')).toBe('app');
  });

  it('gives --chown=UID without a group the same gid, and owns the folders the copy creates', async () => {
    const rootfs = await rootfsOf('FROM busybox\nCOPY --chown=1234 file.txt /made/here/file.txt\n');
    for (const path of ['made', 'made/here', 'made/here/file.txt']) {
      const info = await lstat(join(rootfs, path));
      expect([path, info.uid, info.gid]).toEqual([path, 1234, 1234]);
    }
    expect((await lstat(join(rootfs, 'etc'))).uid).toBe(0);
  });

  it('makes the WORKDIR folder, owned by the USER, even with no step after it', async () => {
    const rootfs = await rootfsOf('FROM busybox\nUSER user\nWORKDIR /srv/work\nRUN touch mine\nWORKDIR /unused\n');
    expect((await lstat(join(rootfs, 'srv/work'))).uid).toBe(1000);
    expect((await lstat(join(rootfs, 'srv/work/mine'))).uid).toBe(1000);
    expect((await lstat(join(rootfs, 'unused'))).isDirectory()).toBe(true);
  });

  it('runs the body of `RUN <<EOF` as the script, and sets HOME', async () => {
    const rootfs = await rootfsOf(
      'FROM busybox\nRUN <<EOF\necho "$HOME" > /home.txt\nEOF\nUSER user\nRUN echo $HOME > /tmp/h\n',
    );
    expect(await readFile(join(rootfs, 'home.txt'), 'utf8')).toBe('/root\n');
    expect(await readFile(join(rootfs, 'tmp/h'), 'utf8')).toBe('/home/user\n');
  });
});
