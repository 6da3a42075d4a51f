/**
 * Writes a small OCI image layout folder (uncompressed tar layers, a config, a manifest, index.json) from
 * files in memory: the image the interop tests and the benchmark push with skopeo and buildah, and a way
 * to hand any client an image without a build.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { digestHex, digestOf } from './digest';

export interface LayerFile {
  path: string;
  data: Buffer;
}

export interface WrittenImage {
  manifestDigest: string;
  manifest: Buffer;
  config: Buffer;
  layers: Array<{ digest: string; size: number; data: Buffer }>;
}

/** A tar of the files, with fixed times and owners so the same files always give the same digest. */
export async function tarLayer(files: LayerFile[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    tar.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    tar.on('end', () => resolve());
    tar.on('error', reject);
  });
  for (const file of files) {
    await new Promise<void>((resolve, reject) =>
      tar.entry(
        { name: file.path, size: file.data.byteLength, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0 },
        file.data,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  tar.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function writeImageLayout(
  dir: string,
  tag: string,
  layers: Buffer[],
  labels: Record<string, string> = {},
): Promise<WrittenImage> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = async (data: Buffer): Promise<string> => {
    const digest = digestOf(data);
    await writeFile(join(dir, 'blobs', 'sha256', digestHex(digest)), data);
    return digest;
  };
  const written = await Promise.all(
    layers.map(async (data) => ({ digest: await put(data), size: data.byteLength, data })),
  );
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: labels },
      rootfs: { type: 'layers', diff_ids: written.map((l) => l.digest) },
      history: written.map(() => ({ created_by: 'govc test image' })),
    }),
  );
  const configDigest = await put(config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.byteLength },
      layers: written.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: l.digest,
        size: l.size,
      })),
    }),
  );
  const manifestDigest = await put(manifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.byteLength,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { manifestDigest, manifest, config, layers: written };
}
