/**
 * Deterministic layer tars: the same entries always give the same bytes, so the same build gives the same
 * digests on any machine with the same Node/zlib. What varies between machines is normalised away:
 * entries are sorted, owners are numeric (0 unless set), user/group names are empty, mtimes are clamped to
 * SOURCE_DATE_EPOCH, PAX headers appear only for names or links ustar cannot hold, and the gzip members
 * (gzip-members.ts) carry no name, no mtime and a fixed OS byte.
 */
import { pack, type Header } from 'tar-stream';
import { GovcError } from '../../../../src-shared/errors';
import type { Digest } from '../store/digest';
import { compareEntryPaths, normaliseEntryPath, type LayerEntry } from './entry';
import { gzipLayer } from './gzip-members';

export { GZIP_LEVEL, gzipDeterministic } from './gzip-members';

export interface LayerWriteOptions {
  /** Seconds; every mtime above it is lowered to it. Defaults to 0 so builds are reproducible by default. */
  sourceDateEpoch?: number;
}

export interface WrittenLayer {
  /** The gzip-compressed tar: the blob a manifest lists. */
  compressed: Buffer;
  /** sha256 of `compressed`: the layer's blob digest. */
  digest: Digest;
  /** sha256 of the uncompressed tar: what the image config's rootfs.diff_ids lists. */
  diffId: Digest;
  uncompressedSize: number;
}

export async function writeLayer(
  entries: readonly LayerEntry[],
  options: LayerWriteOptions = {},
): Promise<WrittenLayer> {
  const tar = await writeTar(entries, options);
  return { ...gzipLayer(tar), uncompressedSize: tar.byteLength };
}

export async function writeTar(entries: readonly LayerEntry[], options: LayerWriteOptions = {}): Promise<Buffer> {
  const epoch = options.sourceDateEpoch ?? 0;
  const sorted = entries
    .map((e) => ({ ...e, path: normaliseEntryPath(e.path) }))
    .sort((a, b) => compareEntryPaths(a.path, b.path));
  const earlier = new Set<string>();
  for (const entry of sorted) {
    if (earlier.has(entry.path)) throw new GovcError('BAD_LAYER', `Duplicate path in layer: ${entry.path}`);
    // Extractors resolve a hardlink against what they already wrote, so its target must come first.
    if (entry.type === 'link' && !earlier.has(normaliseEntryPath(entry.linkname ?? '')))
      throw new GovcError(
        'BAD_LAYER',
        `Hardlink ${entry.path} → ${entry.linkname}: the target must be an earlier file`,
      );
    earlier.add(entry.path);
  }

  const packer = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    packer.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    packer.on('end', () => resolve(Buffer.concat(chunks)));
    packer.on('error', reject);
  });
  for (const entry of sorted) {
    const content = entry.type === 'file' ? await loadContent(entry) : undefined;
    await new Promise<void>((resolve, reject) => {
      const header = tarHeader(entry, epoch, content?.byteLength ?? 0);
      const callback = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (content) packer.entry(header, content, callback);
      else packer.entry(header, callback);
    });
  }
  packer.finalize();
  return done;
}

async function loadContent(entry: LayerEntry): Promise<Uint8Array> {
  const { content } = entry;
  if (content === undefined) return new Uint8Array(0);
  return typeof content === 'function' ? content() : content;
}

function tarHeader(entry: LayerEntry, epoch: number, size: number): Header {
  const mtime = Math.min(Math.floor(entry.mtime ?? epoch), epoch);
  return {
    // ustar marks directories by a trailing slash, which tar-stream leaves to the caller.
    name: entry.type === 'directory' ? `${entry.path}/` : entry.path,
    type: entry.type,
    mode: entry.mode & 0o7777,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    uname: '',
    gname: '',
    size: entry.type === 'file' ? size : 0,
    mtime: new Date(mtime * 1000),
    linkname: entry.type === 'symlink' || entry.type === 'link' ? (entry.linkname ?? '') : '',
    devmajor: entry.devmajor ?? 0,
    devminor: entry.devminor ?? 0,
  };
}
