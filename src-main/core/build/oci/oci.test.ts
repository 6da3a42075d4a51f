import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { haveTools } from '../../../testing/tools';
import { writeLayer } from '../layers/tar-writer';
import { ContentStore } from '../store/content-store';
import { exportDockerArchive, exportOciArchive, exportOciLayout } from './export';
import { emptyImageConfig, loadImage, putImage, type StoredImage } from './image';
import { importImages } from './import';
import { MediaType, type ImageConfig } from './types';

const run = promisify(execFile);
const work = await mkdtemp(join(tmpdir(), 'govc-oci-'));
afterAll(() => rm(work, { recursive: true, force: true }));

async function sampleImage(store: ContentStore): Promise<StoredImage> {
  const layer = await writeLayer([
    { path: 'app', type: 'directory', mode: 0o755 },
    { path: 'app/hello.txt', type: 'file', mode: 0o644, content: Buffer.from('hello\n') },
    { path: 'app/link', type: 'symlink', mode: 0o777, linkname: 'hello.txt' },
  ]);
  const blob = await store.put(layer.compressed);
  const config: ImageConfig = {
    ...emptyImageConfig(),
    created: '1970-01-01T00:00:00Z',
    config: {
      Labels: { z: '1', a: '2' },
      Env: ['PATH=/bin'],
      Cmd: ['/app/run'],
      WorkingDir: '/app',
      ExposedPorts: { '8080/tcp': {} },
    },
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'COPY hello.txt /app/' }],
  };
  return putImage(store, config, [{ mediaType: MediaType.layerGzip, ...blob }]);
}

describe('OCI images', () => {
  it('serialises configs canonically, whatever order fields were set in', async () => {
    const store = ContentStore.inMemory();
    const a = await sampleImage(store);
    const reordered = {
      ...a.config,
      config: {
        Cmd: ['/app/run'],
        ExposedPorts: { '8080/tcp': {} },
        WorkingDir: '/app',
        Env: ['PATH=/bin'],
        Labels: { a: '2', z: '1' },
      },
    };
    const b = await putImage(store, reordered, a.manifest.layers);
    expect(b.descriptor.digest).toBe(a.descriptor.digest);
    expect(Object.keys(a.config.config.Labels!)).toEqual(['a', 'z']);
    await store.tag('sample:1', a.descriptor);
    expect((await loadImage(store, 'sample:1')).config.config.Cmd).toEqual(['/app/run']);
    expect((await loadImage(store, a.descriptor.digest)).manifest.layers).toHaveLength(1);
    await expect(loadImage(store, 'absent')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports archives byte-identically and imports them back', async () => {
    const store = ContentStore.inMemory();
    const image = await sampleImage(store);
    const [oci1, oci2, docker] = ['a.tar', 'b.tar', 'docker.tar'].map((f) => join(work, f));
    await exportOciArchive(store, [{ name: 'sample', image }], oci1!);
    await exportOciArchive(store, [{ name: 'sample', image }], oci2!);
    expect(await readFile(oci1!)).toEqual(await readFile(oci2!));
    await exportDockerArchive(store, [{ name: 'sample', image }], docker!);

    const fromOci = ContentStore.inMemory();
    expect(await importImages(fromOci, oci1!)).toEqual([{ name: 'sample', descriptor: image.descriptor }]);
    const fromDocker = ContentStore.inMemory();
    const [imported] = await importImages(fromDocker, docker!);
    expect(imported?.name).toBe('sample:latest');
    const back = await loadImage(fromDocker, 'sample:latest');
    expect(back.manifest.config.digest).toBe(image.manifest.config.digest);
    expect(back.manifest.layers[0]?.digest).toBe(image.manifest.layers[0]?.digest);
  });

  it.runIf(haveTools('skopeo', 'umoci'))('produces layouts and archives that skopeo and umoci accept', async () => {
    const store = ContentStore.inMemory();
    const image = await sampleImage(store);
    const layout = join(work, 'layout');
    await exportOciLayout(
      store,
      [
        { name: 'sample', image },
        { name: 'sample:1.0', image },
      ],
      layout,
    );
    const inspected = JSON.parse((await run('skopeo', ['inspect', `oci:${layout}:sample`])).stdout);
    expect(inspected.Digest).toBe(image.descriptor.digest);
    expect(inspected.Labels).toEqual({ a: '2', z: '1' });
    const bundle = join(work, 'bundle');
    await run('umoci', ['unpack', '--image', `${layout}:sample`, bundle]);
    expect(await readFile(join(bundle, 'rootfs/app/hello.txt'), 'utf8')).toBe('hello\n');
    expect(await readlink(join(bundle, 'rootfs/app/link'))).toBe('hello.txt');

    const archive = join(work, 'sample-oci.tar');
    await exportOciArchive(store, [{ name: 'sample', image }], archive);
    expect(JSON.parse((await run('skopeo', ['inspect', `oci-archive:${archive}:sample`])).stdout).Digest).toBe(
      image.descriptor.digest,
    );
    const docker = join(work, 'sample-docker.tar');
    await exportDockerArchive(store, [{ name: 'sample', image }], docker);
    const fromDocker = JSON.parse((await run('skopeo', ['inspect', '--config', `docker-archive:${docker}`])).stdout);
    expect(fromDocker.rootfs.diff_ids).toEqual(image.config.rootfs.diff_ids);
    // A layout written by skopeo (another tool's output) imports too.
    const copied = join(work, 'skopeo-layout');
    await run('skopeo', ['copy', `docker-archive:${docker}`, `oci:${copied}:copied`]);
    const target = ContentStore.inMemory();
    await importImages(target, copied);
    expect((await loadImage(target, 'copied')).config.rootfs.diff_ids).toEqual(image.config.rootfs.diff_ids);
  });
});
