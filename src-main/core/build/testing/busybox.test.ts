import { execFile } from 'node:child_process';
import { mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { exportOciLayout } from '../oci/export';
import { ContentStore } from '../store/content-store';
import { buildBusyboxImage } from './busybox';

const run = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), 'govc-busybox-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe.runIf(haveTools('busybox', 'skopeo', 'umoci'))('busybox base image', () => {
  it('is reproducible and unpacks with umoci into a usable rootfs', async () => {
    const a = await buildBusyboxImage(ContentStore.inMemory());
    const store = ContentStore.inMemory();
    const b = await buildBusyboxImage(store);
    expect(b.descriptor.digest).toBe(a.descriptor.digest);

    const layout = join(work, 'layout');
    await exportOciLayout(store, [{ name: 'busybox', image: b }], layout);
    const inspected = JSON.parse((await run('skopeo', ['inspect', `oci:${layout}:busybox`])).stdout);
    expect(inspected.Digest).toBe(b.descriptor.digest);
    const bundle = join(work, 'bundle');
    await run('umoci', ['unpack', '--image', `${layout}:busybox`, bundle]);
    expect(await readlink(join(bundle, 'rootfs/bin/sh'))).toBe('busybox');
    expect((await stat(join(bundle, 'rootfs/tmp'))).mode & 0o7777).toBe(0o1777);
    const { stdout } = await run(join(bundle, 'rootfs/bin/busybox'), ['echo', 'works']);
    expect(stdout).toBe('works\n');
  });
});
