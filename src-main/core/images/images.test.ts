import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentStore } from '../build/store/content-store';
import { historyOfLayers } from './history';
import { inspectImage, listImages } from './inspect';
import { deleteImage, exportImage } from './manage';
import { putSampleImage } from './sample-image';

const work = await mkdtemp(join(tmpdir(), 'govc-images-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('historyOfLayers', () => {
  it('gives layer i the i-th history entry that is not an empty layer', () => {
    const made = historyOfLayers(
      [
        { created_by: 'ENV A=1', empty_layer: true },
        { created_by: 'COPY a /' },
        { created_by: 'LABEL x=y', empty_layer: true },
        { created_by: 'RUN make' },
      ],
      2,
    );
    expect(made.map((h) => h?.created_by)).toEqual(['COPY a /', 'RUN make']);
  });

  it('leaves layers without history unmatched rather than guessing', () => {
    expect(historyOfLayers([{ created_by: 'COPY a /' }], 3).map((h) => h?.created_by)).toEqual([
      'COPY a /',
      undefined,
      undefined,
    ]);
    expect(historyOfLayers([], 1)).toEqual([undefined]);
  });
});

describe('local images', () => {
  it('lists one entry per manifest with all its names and the total size', async () => {
    const store = ContentStore.inMemory();
    const image = await putSampleImage(store, 'app:1');
    await store.tag('app:latest', image.descriptor);
    await putSampleImage(store, 'other:1', 'different\n');
    const list = await listImages(store);
    expect(list).toHaveLength(2);
    const app = list.find((i) => i.digest === image.descriptor.digest)!;
    expect(app.names).toEqual(['app:1', 'app:latest']);
    const layerBytes = image.manifest.layers.reduce((s, l) => s + l.size, 0);
    expect(app.size).toBe(image.descriptor.size + image.manifest.config.size + layerBytes);
    expect(app).toMatchObject({ created: '2024-05-01T10:00:00Z', layers: 2, os: 'linux' });
  });

  it('inspects config, layers with their instructions and the whole history, by name or digest', async () => {
    const store = ContentStore.inMemory();
    const image = await putSampleImage(store, 'app:1');
    const byName = await inspectImage(store, 'app:1');
    expect(byName.config).toMatchObject({ WorkingDir: '/app', User: '1000', Labels: { team: 'studio' } });
    expect(byName.layer_list.map((l) => l.created_by)).toEqual(['COPY hello.txt /', 'COPY run.sh /app/']);
    expect(byName.layer_list[0]!.size).toBe(image.manifest.layers[0]!.size);
    expect(byName.history).toHaveLength(5);
    const byDigest = await inspectImage(store, image.descriptor.digest);
    expect(byDigest.names).toEqual(['app:1']);
    await expect(inspectImage(store, 'nope:1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deletes a name, or every name of a digest, and prunes unreferenced blobs when asked', async () => {
    const store = ContentStore.inMemory({ now: () => Date.now() + 3600_000 * 24 });
    const image = await putSampleImage(store, 'app:1');
    await store.tag('app:2', image.descriptor);
    expect(await deleteImage(store, 'app:1', false)).toMatchObject({ untagged: ['app:1'] });
    const result = await deleteImage(store, image.descriptor.digest, true);
    expect(result.untagged).toEqual(['app:2']);
    expect(result.gc!.removed).toContain(image.descriptor.digest);
    expect(await store.has(image.descriptor.digest)).toBe(false);
    await expect(deleteImage(store, 'app:1', false)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports an OCI layout to an absolute, empty destination and refuses the rest', async () => {
    const store = ContentStore.inMemory();
    await putSampleImage(store, 'app:1');
    const dest = join(work, 'layout');
    await exportImage(store, 'app:1', 'oci', dest);
    const index = JSON.parse(await readFile(join(dest, 'index.json'), 'utf8')) as { manifests: unknown[] };
    expect(index.manifests).toHaveLength(1);
    await expect(exportImage(store, 'app:1', 'oci', dest)).rejects.toMatchObject({ code: 'EXPORT_TARGET_NOT_EMPTY' });
    await expect(exportImage(store, 'app:1', 'oci', 'relative/dir')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const file = join(work, 'taken.tar');
    await writeFile(file, 'x');
    await expect(exportImage(store, 'app:1', 'docker-archive', file)).rejects.toMatchObject({
      code: 'EXPORT_TARGET_NOT_EMPTY',
    });
    const emptyDir = join(work, 'empty');
    await mkdir(emptyDir);
    await exportImage(store, 'app:1', 'oci', emptyDir);
    await exportImage(store, 'app:1', 'docker-archive', join(work, 'app.tar'));
    expect((await readFile(join(work, 'app.tar'))).byteLength).toBeGreaterThan(1024);
  });
});
