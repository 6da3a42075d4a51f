/**
 * A rootfs's metadata, to diff before/after a RUN. Content is never hashed: every write moves a file's
 * mtime or ctime, and chmod/chown/link move the ctime, so (type, mode, owner, size, mtime, ctime, inode)
 * with nanosecond times tells changed from unchanged at the cost of one lstat per path.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { mapBatched } from './batch';
import type { LayerEntryType } from './entry';

export interface FileNode {
  type: LayerEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  nlink: number;
  rdev: number;
  linkTarget?: string;
}

/** Root-relative path (no leading `/`) → node; the root itself is not listed. */
export type Snapshot = Map<string, FileNode>;

export async function snapshotTree(root: string, options: { skip?: ReadonlySet<string> } = {}): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  const walk = async (rel: string): Promise<void> => {
    const names = await readdir(rel ? join(root, rel) : root);
    const paths = names.map((name) => (rel ? `${rel}/${name}` : name)).filter((path) => !options.skip?.has(path));
    // A folder's entries are lstat'ed together; folders are still walked one by one, in readdir order.
    const nodes = await mapBatched(paths, (path) => nodeOf(join(root, path)));
    for (const [i, path] of paths.entries()) snapshot.set(path, nodes[i]!);
    for (const [i, path] of paths.entries()) if (nodes[i]!.type === 'directory') await walk(path);
  };
  await walk('');
  return snapshot;
}

export async function nodeOf(host: string): Promise<FileNode> {
  const info = await lstat(host, { bigint: true });
  const node: FileNode = {
    type: typeOf(info),
    mode: Number(info.mode & 0o7777n),
    uid: Number(info.uid),
    gid: Number(info.gid),
    size: Number(info.size),
    mtimeNs: info.mtimeNs,
    ctimeNs: info.ctimeNs,
    ino: info.ino,
    nlink: Number(info.nlink),
    rdev: Number(info.rdev),
  };
  if (node.type === 'symlink') node.linkTarget = await readlink(host);
  return node;
}

function typeOf(info: {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
}): LayerEntryType {
  if (info.isFile()) return 'file';
  if (info.isDirectory()) return 'directory';
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isFIFO()) return 'fifo';
  if (info.isCharacterDevice()) return 'character-device';
  return 'block-device';
}

export function sameNode(a: FileNode, b: FileNode): boolean {
  return (
    a.type === b.type &&
    a.mode === b.mode &&
    a.uid === b.uid &&
    a.gid === b.gid &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs &&
    a.ino === b.ino &&
    a.linkTarget === b.linkTarget &&
    a.rdev === b.rdev
  );
}
