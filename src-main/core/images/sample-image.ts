/**
 * A small real image for tests of this folder and of the REST API: two layers made by COPY with empty
 * history entries (ENV, CMD) before, between and after them, so history↔layer matching is exercised.
 */
import { emptyImageConfig, putImage, type StoredImage } from '../build/oci/image';
import { MediaType, type ImageConfig } from '../build/oci/types';
import { writeLayer } from '../build/layers/tar-writer';
import type { ContentStore } from '../build/store/content-store';

export async function putSampleImage(store: ContentStore, name: string, text = 'hello\n'): Promise<StoredImage> {
  const first = await writeLayer([{ path: 'hello.txt', type: 'file', mode: 0o644, content: Buffer.from(text) }]);
  const second = await writeLayer([
    { path: 'app/run.sh', type: 'file', mode: 0o755, content: Buffer.from('#!/bin/sh\n') },
  ]);
  const layers = [];
  for (const layer of [first, second])
    layers.push({ mediaType: MediaType.layerGzip, ...(await store.put(layer.compressed)) });
  const created = '2024-05-01T10:00:00Z';
  const config: ImageConfig = {
    ...emptyImageConfig(),
    created,
    config: {
      Env: ['PATH=/bin', 'MODE=test'],
      Cmd: ['/app/run.sh'],
      WorkingDir: '/app',
      User: '1000',
      ExposedPorts: { '8080/tcp': {} },
      Labels: { team: 'studio' },
      Volumes: { '/data': {} },
    },
    rootfs: { type: 'layers', diff_ids: [first.diffId, second.diffId] },
    history: [
      { created, created_by: 'ENV MODE=test', empty_layer: true },
      { created, created_by: 'COPY hello.txt /' },
      { created, created_by: 'WORKDIR /app', empty_layer: true },
      { created, created_by: 'COPY run.sh /app/' },
      { created, created_by: 'CMD ["/app/run.sh"]', empty_layer: true },
    ],
  };
  const image = await putImage(store, config, layers);
  await store.tag(name, image.descriptor);
  return image;
}
