/**
 * Deleting and exporting local images. Deleting only removes names: the blobs stay until a GC finds them
 * unreferenced (they may be shared with other images, the build cache or the registry).
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { GovcError } from '../../../src-shared/errors';
import { exportDockerArchive, exportOciArchive, exportOciLayout } from '../build/oci/export';
import { loadImage } from '../build/oci/image';
import type { ContentStore, GcResult } from '../build/store/content-store';
import { isDigest } from '../build/store/digest';
import { requireImage } from './inspect';

export type ExportFormat = 'oci' | 'oci-archive' | 'docker-archive';

export interface DeleteResult {
  digest: string;
  untagged: string[];
  gc?: GcResult;
}

/** Untags one name, or every name of a manifest digest; with `prune`, collects the garbage after. */
export async function deleteImage(store: ContentStore, ref: string, prune: boolean): Promise<DeleteResult> {
  const descriptor = requireImage(store, ref);
  const names = isDigest(ref)
    ? store
        .refs()
        .filter((r) => r.descriptor.digest === ref)
        .map((r) => r.name)
    : [ref];
  for (const name of names) await store.untag(name);
  const result: DeleteResult = { digest: descriptor.digest, untagged: names.sort() };
  if (prune) result.gc = await store.gc();
  return result;
}

/**
 * Writes one image to `dest` on the engine's machine. The destination must be absolute (a relative one
 * would land wherever the server was started) and must not hold anything: an export never merges into or
 * overwrites what is there.
 */
export async function exportImage(
  store: ContentStore,
  ref: string,
  format: ExportFormat,
  dest: string,
): Promise<{ digest: string; name?: string }> {
  if (!isAbsolute(dest)) throw new GovcError('BAD_REQUEST', `Export destination must be an absolute path: ${dest}`);
  await refuseExisting(dest, format);
  const descriptor = requireImage(store, ref);
  const image = await loadImage(store, {
    mediaType: descriptor.mediaType,
    digest: descriptor.digest,
    size: descriptor.size,
  });
  const name = isDigest(ref) ? undefined : ref;
  const images = [{ ...(name === undefined ? {} : { name }), image }];
  if (format === 'oci') await exportOciLayout(store, images, dest);
  else if (format === 'oci-archive') await exportOciArchive(store, images, dest);
  else await exportDockerArchive(store, images, dest);
  return { digest: image.descriptor.digest, ...(name === undefined ? {} : { name }) };
}

async function refuseExisting(dest: string, format: ExportFormat): Promise<void> {
  const info = await stat(dest).catch(() => undefined);
  if (!info) return;
  const empty = info.isDirectory() ? (await readdir(dest)).length === 0 : info.size === 0;
  // An archive goes to a file: an empty folder is still not somewhere a file can be written.
  if (format !== 'oci' && info.isDirectory())
    throw new GovcError('EXPORT_TARGET_NOT_EMPTY', `${dest} is a folder; an ${format} is written to a file`, { dest });
  if (format === 'oci' && !info.isDirectory())
    throw new GovcError('EXPORT_TARGET_NOT_EMPTY', `${dest} is a file; an OCI layout is written to a folder`, {
      dest,
    });
  if (!empty) throw new GovcError('EXPORT_TARGET_NOT_EMPTY', `${dest} already exists and is not empty`, { dest });
}
