/**
 * The layer a RUN produced: what appeared or changed between two snapshots of the same rootfs, the parent
 * directories of those paths (so the layer carries their modes and owners), and a whiteout for each
 * deleted path whose parent survives. Files sharing an inode become one file plus hardlinks.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapChunked } from './batch';
import { compareEntryPaths, whiteoutEntry, type LayerEntry } from './entry';
import { nodeOfSync, sameNode, type FileNode, type Snapshot } from './snapshot';

/** Files up to this size are read synchronously when the layer is written (see batch.ts); larger ones async. */
const SYNC_READ_MAX = 1024 * 1024;

export interface RootfsDiff {
  entries: LayerEntry[];
  added: string[];
  modified: string[];
  deleted: string[];
}

export function diffSnapshots(root: string, before: Snapshot, after: Snapshot): RootfsDiff {
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const [path, node] of after) {
    const old = before.get(path);
    if (!old) added.push(path);
    else if (!sameNode(old, node)) modified.push(path);
  }
  for (const path of before.keys()) {
    if (after.has(path)) continue;
    // A deleted directory's children go with it: one whiteout at the top is enough.
    const parent = parentOf(path);
    if (parent === '' || after.get(parent)?.type === 'directory') deleted.push(path);
  }

  const included = new Set<string>([...added, ...modified]);
  for (const path of [...added, ...modified, ...deleted]) {
    for (let p = parentOf(path); p !== ''; p = parentOf(p)) included.add(p);
  }

  const entries: LayerEntry[] = [];
  const firstPathOfInode = new Map<bigint, string>();
  for (const path of [...included].sort(compareEntryPaths)) {
    const node = after.get(path)!;
    if (node.type === 'file' && node.nlink > 1) {
      const first = firstPathOfInode.get(node.ino);
      if (first !== undefined) {
        entries.push({ ...meta(path, node), type: 'link', linkname: first });
        continue;
      }
      firstPathOfInode.set(node.ino, path);
    }
    entries.push(entryFor(root, path, node));
  }
  for (const path of deleted) entries.push(whiteoutEntry(path));
  return { entries, added, modified, deleted };
}

export function entryFor(root: string, path: string, node: FileNode): LayerEntry {
  const entry = meta(path, node);
  switch (node.type) {
    case 'file':
      return {
        ...entry,
        content: async () => (node.size <= SYNC_READ_MAX ? readFileSync(join(root, path)) : readFile(join(root, path))),
      };
    case 'symlink':
      return { ...entry, linkname: node.linkTarget ?? '' };
    case 'character-device':
    case 'block-device':
      // Linux's dev_t keeps the major in bits 8-19 and the minor in bits 0-7 and 20-31 (low 32 bits).
      return {
        ...entry,
        devmajor: (node.rdev >>> 8) & 0xfff,
        devminor: (node.rdev & 0xff) | ((node.rdev >>> 12) & 0xfff00),
      };
    default:
      return entry;
  }
}

function meta(path: string, node: FileNode): LayerEntry {
  return {
    path,
    type: node.type,
    mode: node.mode,
    uid: node.uid,
    gid: node.gid,
    mtime: Number(node.mtimeNs / 1_000_000_000n),
  };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Layer entries for paths written directly into a rootfs (COPY), with every parent directory as it is there.
 * `written` holds bytes the caller just wrote to some of the files: a file still that size uses them
 * instead of being read back (the metadata always comes from the rootfs).
 */
export async function entriesForPaths(
  root: string,
  paths: Iterable<string>,
  written: ReadonlyMap<string, Buffer> = new Map(),
): Promise<LayerEntry[]> {
  const included = new Set<string>();
  for (const path of paths) {
    for (let p = path; p !== ''; p = parentOf(p)) included.add(p);
  }
  const sorted = [...included].sort(compareEntryPaths);
  const nodes = await mapChunked(sorted, (path) => nodeOfSync(join(root, path)));
  return sorted.map((path, i) => {
    const node = nodes[i]!;
    const bytes = written.get(path);
    if (bytes && node.type === 'file' && node.size === bytes.byteLength) return { ...meta(path, node), content: bytes };
    return entryFor(root, path, node);
  });
}
