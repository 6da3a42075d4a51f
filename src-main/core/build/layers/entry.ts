/**
 * A layer's content as a list of entries, independent of where they come from (a build context, a
 * rootfs diff, a synthetic base image). Paths are relative to the image root, `/`-separated, without a
 * leading `/` or `./` and without a trailing `/`.
 */
import { GovcError } from '../../../../src-shared/errors';

export type LayerEntryType = 'file' | 'directory' | 'symlink' | 'link' | 'fifo' | 'character-device' | 'block-device';

export interface LayerEntry {
  path: string;
  type: LayerEntryType;
  /** Permission bits including setuid/setgid/sticky (`& 0o7777`). */
  mode: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch; clamped to SOURCE_DATE_EPOCH when the layer is written. */
  mtime?: number;
  /** Regular files: the bytes, or a loader so a large diff is not held in memory all at once. */
  content?: Uint8Array | (() => Promise<Uint8Array>);
  /** Symlinks: the target as written. Hardlinks: the path of an earlier entry in the same layer. */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_WHITEOUT = '.wh..wh..opq';

/** The whiteout entry that deletes `path` from the layers below. */
export function whiteoutEntry(path: string): LayerEntry {
  const slash = path.lastIndexOf('/');
  const name = `${path.slice(0, slash + 1)}${WHITEOUT_PREFIX}${path.slice(slash + 1)}`;
  return { path: name, type: 'file', mode: 0, content: new Uint8Array(0) };
}

/** Entries' canonical order: byte order of the UTF-8 path, which puts every directory before its contents. */
export function compareEntryPaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** `/a/./b/` → `a/b`; refuses `..`, NUL and empty paths, which no layer writer should ever produce. */
export function normaliseEntryPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..') || path.includes('\0'))
    throw new GovcError('BAD_LAYER', `Invalid path in layer: ${JSON.stringify(path)}`);
  return parts.join('/');
}
