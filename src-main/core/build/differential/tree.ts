/**
 * The unpacked root filesystems of two images as comparable trees: every path with its type, permission
 * bits, owner, content digest or link target, and which other paths share its inode (hardlinks). Times
 * are left out on purpose: each engine stamps files with its own clock or SOURCE_DATE_EPOCH.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeNode {
  type: 'file' | 'directory' | 'symlink' | 'fifo' | 'device' | 'socket';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** sha256 of a file's bytes, or a symlink's target. */
  content?: string;
  /** Other paths in the tree that are the same file (hardlinks), sorted. */
  links?: string[];
}

export type Tree = Map<string, TreeNode>;

export async function readTree(root: string): Promise<Tree> {
  const tree: Tree = new Map();
  const byInode = new Map<bigint, string[]>();
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(rel ? join(root, rel) : root)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const host = join(root, path);
      const info = await lstat(host, { bigint: true });
      const node: TreeNode = {
        type: info.isDirectory()
          ? 'directory'
          : info.isSymbolicLink()
            ? 'symlink'
            : info.isFile()
              ? 'file'
              : info.isFIFO()
                ? 'fifo'
                : info.isSocket()
                  ? 'socket'
                  : 'device',
        mode: Number(info.mode & 0o7777n),
        uid: Number(info.uid),
        gid: Number(info.gid),
        size: info.isFile() ? Number(info.size) : 0,
      };
      if (node.type === 'file') {
        node.content = createHash('sha256')
          .update(await readFile(host))
          .digest('hex');
        if (info.nlink > 1n) byInode.set(info.ino, [...(byInode.get(info.ino) ?? []), path]);
      }
      if (node.type === 'symlink') node.content = await readlink(host);
      tree.set(path, node);
      if (node.type === 'directory') await walk(path);
    }
  };
  await walk('');
  for (const paths of byInode.values()) {
    if (paths.length < 2) continue;
    for (const path of paths) tree.get(path)!.links = paths.filter((p) => p !== path);
  }
  return tree;
}

/**
 * What buildah leaves in every image it builds with chroot isolation and BuildKit does not: the mount
 * points of the RUN container. They are ignored only while they are empty and absent from our image.
 */
export const PEER_MOUNT_POINTS: ReadonlyMap<string, TreeNode['type']> = new Map([
  ['dev', 'directory'],
  ['proc', 'directory'],
  ['sys', 'directory'],
  ['run', 'directory'],
  ['etc/hosts', 'file'],
  ['etc/hostname', 'file'],
  ['etc/resolv.conf', 'file'],
]);

/** Differences as readable lines (`+ path` only ours, `- path` only the peer's, `~ path: field a ≠ b`). */
export function compareTrees(ours: Tree, peer: Tree): string[] {
  const out: string[] = [];
  for (const [path, node] of peer) {
    if (ours.has(path)) continue;
    if (isEmptyMountPoint(path, node, peer)) continue;
    if (isEmptyParentOfMountPoint(path, node, peer)) continue;
    out.push(`- ${path} (${node.type}) only in the peer's image`);
  }
  for (const [path, node] of ours) {
    const other = peer.get(path);
    if (!other) {
      out.push(`+ ${path} (${node.type}) only in ours`);
      continue;
    }
    for (const field of ['type', 'mode', 'uid', 'gid', 'content'] as const) {
      if (node[field] !== other[field])
        out.push(`~ ${path}: ${field} ${show(field, node[field])} (ours) ≠ ${show(field, other[field])} (peer)`);
    }
    const ourLinks = (node.links ?? []).join(',');
    const peerLinks = (other.links ?? []).join(',');
    if (ourLinks !== peerLinks) out.push(`~ ${path}: hardlinks [${ourLinks}] (ours) ≠ [${peerLinks}] (peer)`);
  }
  return out;
}

function isEmptyMountPoint(path: string, node: TreeNode, tree: Tree): boolean {
  if (PEER_MOUNT_POINTS.get(path) !== node.type) return false;
  if (node.type === 'file') return node.size === 0;
  const prefix = `${path}/`;
  return ![...tree.keys()].some((p) => p.startsWith(prefix));
}

/** `/etc` holding nothing but buildah's mount-point files, in an image whose own files never made one. */
function isEmptyParentOfMountPoint(path: string, node: TreeNode, tree: Tree): boolean {
  if (node.type !== 'directory') return false;
  const prefix = `${path}/`;
  const children = [...tree.entries()].filter(([p]) => p.startsWith(prefix));
  return children.length > 0 && children.every(([p, n]) => isEmptyMountPoint(p, n, tree));
}

function show(field: string, value: unknown): string {
  if (field === 'mode' && typeof value === 'number') return `0${value.toString(8)}`;
  if (field === 'content' && typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)) return value.slice(0, 12);
  return JSON.stringify(value);
}
