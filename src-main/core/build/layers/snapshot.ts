/**
 * A rootfs's metadata, to diff before/after a RUN. Content is never hashed: every write moves a file's
 * mtime or ctime, and chmod/chown/link move the ctime, so (type, mode, owner, size, mtime, ctime, inode)
 * with nanosecond times tells changed from unchanged at the cost of one lstat per path.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { LoopYielder, yieldToLoop } from './batch';
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
  // Synchronous lstats, yielding now and then: several times faster than async ones (see batch.ts).
  const yielder = new LoopYielder();
  const walk = async (rel: string): Promise<void> => {
    const names = readdirSync(rel ? join(root, rel) : root);
    const paths = names.map((name) => (rel ? `${rel}/${name}` : name)).filter((path) => !options.skip?.has(path));
    const folders: string[] = [];
    for (const path of paths) {
      if (yielder.due()) await yieldToLoop();
      const node = nodeOfSync(join(root, path));
      snapshot.set(path, node);
      if (node.type === 'directory') folders.push(path);
    }
    for (const path of folders) await walk(path);
  };
  await walk('');
  return snapshot;
}

export function nodeOfSync(host: string): FileNode {
  const info = lstatSync(host, { bigint: true });
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
  if (node.type === 'symlink') node.linkTarget = readlinkSync(host);
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
