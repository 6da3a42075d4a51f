import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { snapshotTree } from '../layers/snapshot';
import { writeLayer } from '../layers/tar-writer';
import { exportOciLayout } from '../oci/export';
import { putImage, type StoredImage } from '../oci/image';
import { MediaType } from '../oci/types';
import { ContentStore } from '../store/content-store';
import { BUSYBOX_PATH_ENV, buildBusyboxImage } from '../testing/busybox';
import { BubblewrapExecutor } from './bubblewrap';
import type { Executor, RunSpec } from './executor';
import { NativeExecutor } from './native';
import { createScratch, materialise, runAndDiff, type Scratch } from './rootfs';
import { UnshareChrootExecutor } from './unshare-chroot';
import { resolveUser } from './users';

const exec = promisify(execFile);

const asRoot = process.getuid?.() === 0;
// Every native executor passes the same behaviour tests. The unshare + chroot fallback needs root; CI runs as
// root, and a run without it says so in the test name rather than passing silently.
const executors: { name: string; make: () => Executor; runs: boolean }[] = [
  { name: 'bubblewrap', make: () => new BubblewrapExecutor(), runs: haveTools('bwrap') },
  {
    name: 'unshare + chroot (needs root)',
    make: () => new UnshareChrootExecutor(),
    runs: asRoot && haveTools('unshare'),
  },
];

describe.each(executors)('$name sandbox', ({ make, runs }) => {
  describe.runIf(runs && haveTools('busybox', 'umoci', 'skopeo'))('runs', () => {
    sandboxBehaviour(make());
  });
});

describe('choosing the native sandbox', () => {
  const refusing = (name: string, reason: string): Executor => ({
    name,
    availability: () => ({ ok: false, reason }),
    run: () => Promise.reject(new Error('never')),
  });
  const working = (name: string): Executor => ({
    name,
    availability: () => ({ ok: true }),
    run: () => Promise.resolve({ durationMs: 1 }),
  });

  it('takes bubblewrap when it can run, else falls back to the next executor', async () => {
    expect(new NativeExecutor([working('bubblewrap'), working('unshare-chroot')]).name).toBe('bubblewrap');
    const fallback = new NativeExecutor([refusing('bubblewrap', 'not installed'), working('unshare-chroot')]);
    expect(fallback.availability()).toEqual({ ok: true });
    expect(fallback.name).toBe('unshare-chroot');
    await expect(fallback.run({} as RunSpec)).resolves.toEqual({ durationMs: 1 });
  });

  it('names every refusal when nothing can run', async () => {
    const none = new NativeExecutor([
      refusing('bubblewrap', 'not installed'),
      refusing('unshare-chroot', 'needs root'),
    ]);
    expect(none.availability()).toEqual({
      ok: false,
      reason: 'No sandbox can run RUN here (bubblewrap: not installed; unshare-chroot: needs root)',
    });
    await expect(none.run({} as RunSpec)).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
  });
});

function sandboxBehaviour(executor: Executor): void {
  const store = ContentStore.inMemory();
  let base: StoredImage;
  let work: string;
  const scratches: Scratch[] = [];

  beforeAll(async () => {
    base = await buildBusyboxImage(store);
    work = await mkdtemp(join(tmpdir(), 'govc-sandbox-'));
  });
  afterAll(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
    await rm(work, { recursive: true, force: true });
  });

  async function baseRootfs(): Promise<string> {
    const scratch = await createScratch();
    scratches.push(scratch);
    await materialise(store, base.manifest.layers, scratch.rootfs);
    return scratch.rootfs;
  }

  const spec = (rootfs: string, script: string, extra: Partial<RunSpec> = {}): RunSpec => ({
    rootfs,
    argv: ['/bin/sh', '-c', script],
    env: [BUSYBOX_PATH_ENV],
    cwd: '/',
    uid: 0,
    gid: 0,
    network: 'none',
    mounts: [],
    ...extra,
  });

  it('turns a RUN into a layer with additions, a whiteout and a mode change that umoci unpacks', async () => {
    const rootfs = await baseRootfs();
    const output: string[] = [];
    const { diff } = await runAndDiff(
      executor,
      spec(rootfs, 'mkdir -p /app && echo built > /app/out.txt && rm /etc/group && chmod 700 /home/user && echo done', {
        onOutput: (_s, chunk) => output.push(chunk.toString()),
      }),
    );
    expect(output.join('')).toBe('done\n');
    expect(diff.deleted).toEqual(['etc/group']);
    expect(await readdir(rootfs)).not.toContain('proc');

    const layer = await writeLayer(diff.entries);
    const blob = await store.put(layer.compressed);
    const image = await putImage(
      store,
      {
        ...base.config,
        rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, layer.diffId] },
        history: [...base.config.history, { created_by: 'RUN …' }],
      },
      [...base.manifest.layers, { mediaType: MediaType.layerGzip, ...blob }],
    );
    const layout = join(work, 'layout');
    await exportOciLayout(store, [{ name: 'run', image }], layout);
    const bundle = join(work, 'bundle');
    await exec('umoci', ['unpack', '--image', `${layout}:run`, bundle]);
    const unpacked = join(bundle, 'rootfs');
    expect(await readFile(join(unpacked, 'app/out.txt'), 'utf8')).toBe('built\n');
    await expect(lstat(join(unpacked, 'etc/group'))).rejects.toThrow();
    expect((await stat(join(unpacked, 'home/user'))).mode & 0o777).toBe(0o700);
    expect(await readFile(join(unpacked, 'etc/passwd'), 'utf8')).toContain('user:x:1000');
    // The whole tree umoci unpacked equals the rootfs the command ran in (times aside).
    const shape = async (root: string) =>
      [...(await snapshotTree(root))]
        .map(
          ([p, n]) =>
            `${p} ${n.type} ${n.mode.toString(8)} ${n.uid}:${n.gid} ${n.type === 'file' ? n.size : ''} ${n.linkTarget ?? ''}`,
        )
        .sort();
    expect(await shape(unpacked)).toEqual(await shape(rootfs));
  });

  it('runs as the image user, with files owned by that user', async () => {
    const rootfs = await baseRootfs();
    const user = await resolveUser(rootfs, 'user');
    expect(user).toEqual({ uid: 1000, gid: 1000 });
    const output: string[] = [];
    const { diff } = await runAndDiff(
      executor,
      spec(rootfs, 'id -u; touch /tmp/mine', { ...user, onOutput: (_s, c) => output.push(c.toString()) }),
    );
    expect(output.join('')).toBe('1000\n');
    expect(diff.entries.find((e) => e.path === 'tmp/mine')).toMatchObject({ uid: 1000, gid: 1000 });
    await expect(resolveUser(rootfs, 'ghost')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(await resolveUser(rootfs, '4242')).toEqual({ uid: 4242, gid: 0 });
  });

  it('reports a failing command with its exit code and last output lines', async () => {
    const rootfs = await baseRootfs();
    const error = await executor.run(spec(rootfs, 'echo first; echo oops >&2; exit 3')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RUN_FAILED', details: { exitCode: 3, lastLines: ['first', 'oops'] } });
  });

  it('has no network by default, and bind/tmpfs mounts that leave nothing in the layer', async () => {
    const rootfs = await baseRootfs();
    const cache = join(work, 'cache');
    await mkdir(cache, { recursive: true });
    await writeFile(join(cache, 'seed'), 'cached');
    const output: string[] = [];
    const { diff } = await runAndDiff(
      executor,
      spec(
        rootfs,
        'grep -c : /proc/net/dev; cat /cache/seed; echo; echo more > /cache/new; touch /scratch/x; echo ok',
        {
          mounts: [
            { type: 'bind', source: cache, target: '/cache', readonly: false },
            { type: 'tmpfs', target: '/scratch' },
          ],
          onOutput: (_s, c) => output.push(c.toString()),
        },
      ),
    );
    // Only the loopback interface: the sandbox has its own, empty network namespace.
    expect(output.join('')).toBe('1\ncached\nok\n');
    expect(await readFile(join(cache, 'new'), 'utf8')).toBe('more\n');
    expect(diff.entries).toEqual([]);
  });

  it('mounts a file under the fresh /dev read-only, leaving nothing in the rootfs or the layer', async () => {
    const rootfs = await baseRootfs();
    const script = join(work, `script-${executor.name}`);
    await writeFile(script, 'echo from-script\n');
    const output: string[] = [];
    const { diff } = await runAndDiff(
      executor,
      spec(rootfs, 'sh /dev/pipes/EOF; { echo x > /dev/pipes/EOF; } 2>/dev/null || echo refused', {
        mounts: [{ type: 'bind', source: script, target: '/dev/pipes/EOF', readonly: true }],
        onOutput: (_s, c) => output.push(c.toString()),
      }),
    );
    expect(output.join('')).toBe('from-script\nrefused\n');
    expect(await readFile(script, 'utf8')).toBe('echo from-script\n');
    expect(diff.entries).toEqual([]);
    expect(await readdir(rootfs)).not.toContain('dev');
  });

  it('kills a running command and its children within a second when cancelled', async () => {
    const rootfs = await baseRootfs();
    const controller = new AbortController();
    const started = Date.now();
    // A duration no other test uses: test files run in parallel, and their sleeps must not count here.
    const running = executor.run(spec(rootfs, 'sleep 4711 & sleep 4711', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 300);
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(1300);
    const { stdout } = await exec('sh', ['-c', 'ps -eo args | grep -c "^sleep 4711$" || true']);
    expect(stdout.trim()).toBe('0');
  });
}
