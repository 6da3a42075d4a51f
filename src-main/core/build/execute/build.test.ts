import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { exportOciLayout } from '../oci/export';
import { CacheIndex } from '../plan/cache-index';
import { BubblewrapExecutor } from '../sandbox/bubblewrap';
import { ContentStore } from '../store/content-store';
import { buildBusyboxImage } from '../testing/busybox';
import { buildImage, type BuildEngine, type BuildRequest } from './build';
import { formatPlain, type BuildEvent } from './events';

const exec = promisify(execFile);

const APP = `FROM busybox
ARG VERSION=1.0
ENV APP_HOME=/app
WORKDIR $APP_HOME
COPY . .
RUN echo "v$VERSION" > version && rm /etc/group && chmod 700 /home/user && echo ran
USER user
RUN touch /tmp/by-user
EXPOSE 8080
CMD ["sh", "-c", "cat version"]
`;

describe.runIf(haveTools('bwrap', 'busybox', 'skopeo', 'umoci'))('buildImage', () => {
  let work: string;
  let context: string;
  let engine: BuildEngine;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'govc-build-'));
    context = join(work, 'context');
    await mkdir(join(context, 'src'), { recursive: true });
    await mkdir(join(context, 'node_modules/dep'), { recursive: true });
    await writeFile(join(context, 'node_modules/dep/index.js'), 'ignored');
    await writeFile(join(context, '.dockerignore'), 'node_modules\n*.log\n');
    await writeFile(join(context, 'debug.log'), 'ignored');
    await writeFile(join(context, 'src/a.txt'), 'a');
    await writeFile(join(context, 'README'), 'readme');
    engine = await newEngine(join(work, 'data'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function newEngine(dataDir: string): Promise<BuildEngine> {
    const store = await ContentStore.open(join(dataDir, 'store'));
    await buildBusyboxImage(store);
    return {
      store,
      cache: await CacheIndex.open(join(dataDir, 'build-cache.json')),
      executor: new BubblewrapExecutor(),
      dataDir,
    };
  }

  async function build(request: Partial<BuildRequest>, on = engine) {
    const events: BuildEvent[] = [];
    const result = await buildImage(on, {
      contextDir: context,
      dockerfile: APP,
      onEvent: (e) => events.push(e),
      ...request,
    });
    return { result, events, log: events.flatMap(formatPlain) };
  }

  it('builds, serves the second build from the cache with the same digest, and explains misses', async () => {
    const first = await build({ tags: ['app:1'] });
    expect(first.log).toContain('#1 [stage-0 1/4] FROM busybox@' + first.log[0]!.split('@')[1]);
    expect(first.log.some((l) => /^#\d+ ran$/.test(l))).toBe(true);
    expect(first.result.cachedSteps).toBe(0);

    const second = await build({ tags: ['app:1'] });
    expect(second.result.digest).toBe(first.result.digest);
    expect(second.result.cachedSteps).toBe(3);
    expect(second.log.filter((l) => l.endsWith('CACHED'))).toHaveLength(3);

    await writeFile(join(context, 'src/a.txt'), 'changed');
    const third = await build({});
    expect(third.events).toContainEqual(
      expect.objectContaining({ type: 'miss', reason: 'COPY . .: src/a.txt changed' }),
    );

    const fourth = await build({ buildArgs: { VERSION: '1.1' } });
    const misses = fourth.events.filter((e) => e.type === 'miss');
    expect(misses[0]).toMatchObject({ reason: expect.stringContaining('build arg VERSION changed 1.0 → 1.1') });
    expect(fourth.result.cachedSteps).toBe(1);
    await writeFile(join(context, 'src/a.txt'), 'a');
  });

  it('produces an image umoci unpacks into the expected rootfs, reproducibly without a cache', async () => {
    const { result } = await build({ tags: ['app:2'] });
    const other = await newEngine(join(work, 'other-data'));
    const again = await build({ noCache: true }, other);
    expect(again.result.digest).toBe(result.digest);

    const layout = join(work, 'layout');
    await exportOciLayout(engine.store, [{ name: 'app', image: result.image }], layout);
    const inspected = JSON.parse((await exec('skopeo', ['inspect', '--config', `oci:${layout}:app`])).stdout);
    expect(inspected.config).toMatchObject({
      User: 'user',
      WorkingDir: '/app',
      Cmd: ['sh', '-c', 'cat version'],
      ExposedPorts: { '8080/tcp': {} },
    });
    expect(inspected.config.Env).toContain('APP_HOME=/app');
    const bundle = join(work, 'bundle');
    await exec('umoci', ['unpack', '--image', `${layout}:app`, bundle]);
    const rootfs = join(bundle, 'rootfs');
    expect(await readFile(join(rootfs, 'app/version'), 'utf8')).toBe('v1.0\n');
    expect(await readFile(join(rootfs, 'app/src/a.txt'), 'utf8')).toBe('a');
    // .dockerignore kept these out of the context.
    await expect(lstat(join(rootfs, 'app/node_modules'))).rejects.toThrow();
    await expect(lstat(join(rootfs, 'app/debug.log'))).rejects.toThrow();
    await expect(lstat(join(rootfs, 'etc/group'))).rejects.toThrow();
    expect((await stat(join(rootfs, 'home/user'))).mode & 0o777).toBe(0o700);
    expect((await stat(join(rootfs, 'tmp/by-user'))).uid).toBe(1000);
    expect((await stat(join(rootfs, 'tmp'))).mode & 0o7777).toBe(0o1777);
  });

  it('builds multi-stage images with COPY --from and a scratch base', async () => {
    const dockerfile = `FROM busybox AS builder
RUN mkdir /out && echo built > /out/artifact
FROM scratch
COPY --from=builder /out/artifact /artifact
`;
    const { result } = await build({ dockerfile, tags: ['multi'] });
    expect(result.image.manifest.layers).toHaveLength(1);
    const layout = join(work, 'multi');
    await exportOciLayout(engine.store, [{ name: 'multi', image: result.image }], layout);
    const bundle = join(work, 'multi-bundle');
    await exec('umoci', ['unpack', '--image', `${layout}:multi`, bundle]);
    expect(await readFile(join(bundle, 'rootfs/artifact'), 'utf8')).toBe('built\n');
  });

  it('runs a RUN heredoc that starts with #! through its interpreter, not through SHELL', async () => {
    // With /bin/cat as the interpreter the body is printed, not run: through sh, its first line would fail.
    const dockerfile = `FROM busybox
RUN <<EOF
#!/bin/cat
no-such-command --would-fail-in-sh
EOF
RUN <<EOF
#!/bin/sh -e
echo "$0 ran $((6 * 7))" > /sh-out
EOF
`;
    const { result, log } = await build({ dockerfile, tags: ['shebang'], noCache: true });
    expect(log.some((l) => /no-such-command --would-fail-in-sh$/.test(l))).toBe(true);
    const layout = join(work, 'shebang');
    await exportOciLayout(engine.store, [{ name: 'shebang', image: result.image }], layout);
    const bundle = join(work, 'shebang-bundle');
    await exec('umoci', ['unpack', '--image', `${layout}:shebang`, bundle]);
    expect(await readFile(join(bundle, 'rootfs/sh-out'), 'utf8')).toBe('/dev/pipes/EOF ran 42\n');
    await expect(lstat(join(bundle, 'rootfs/dev/pipes'))).rejects.toThrow();
  });

  it("runs a base image's ONBUILD triggers once, and does not pass them on", async () => {
    const base = await build({ dockerfile: 'FROM busybox\nONBUILD RUN touch /onbuild-ran\n', tags: ['with-trigger'] });
    expect(base.result.image.config.config.OnBuild).toEqual(['RUN touch /onbuild-ran']);
    const child = await build({ dockerfile: 'FROM with-trigger\nRUN ls /onbuild-ran\n' });
    expect(child.log.some((l) => /\/onbuild-ran$/.test(l))).toBe(true);
    expect(child.result.image.config.config.OnBuild).toBeUndefined();
  });

  it('cancels a running build within a second', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(
      build({ dockerfile: 'FROM busybox\nRUN sleep 100\n', noCache: true, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a failing RUN with its exit code and output, and a missing base image by name', async () => {
    const failing = build({ dockerfile: 'FROM busybox\nRUN echo about to fail && exit 7\n', noCache: true });
    await expect(failing).rejects.toMatchObject({
      code: 'RUN_FAILED',
      details: { exitCode: 7, lastLines: ['about to fail'] },
    });
    await expect(build({ dockerfile: 'FROM alpine:3.20\n' })).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      message: expect.stringContaining('no registry client to pull it'),
    });
  });
});
