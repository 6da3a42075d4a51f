/**
 * COPY/ADD into a stage's rootfs: files are written where the rootfs (symlinks followed inside it) says
 * the destination is, then the layer is read back from exactly those paths and their parents, so the
 * layer carries the real modes of existing parents (a sticky /tmp stays sticky). Small files' bytes are
 * kept from the copy instead of being read back (a rebuild after one file changed writes every file of the
 * COPY again, and each read-back was an open, fstat, read and close).
 */
import {
  chmodSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { copyFile, lchown, lstat, rm, chmod as setMode, utimes, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { mapChunked } from '../layers/batch';
import { entriesForPaths } from '../layers/diff';
import type { LayerEntry } from '../layers/entry';
import { resolveDir } from '../layers/resolve';
import type { CopyItem } from './sources';

export interface CopyPlan {
  items: readonly CopyItem[];
  /** Heredoc files: absolute container path → content. */
  inline: Array<{ path: string; content: string }>;
  /** Absolute destination inside the container. */
  dest: string;
  destIsDir: boolean;
  uid: number;
  gid: number;
  /** `--chmod`, applied to every copied file and folder. */
  mode?: number;
}

export async function copyIntoRootfs(rootfs: string, plan: CopyPlan): Promise<LayerEntry[]> {
  const written = new Set<string>();
  const kept = new KeptBytes();
  /** Folders this copy made: nothing is in them but what it wrote, so a new path there needs no lstat. */
  const fresh = new Set<string>();
  // Folders the copy has to make belong to --chown too, as in BuildKit and buildah; existing ones keep theirs.
  const create = {
    create: true,
    onCreate: (rel: string) => {
      fresh.add(rel);
      return lchown(join(rootfs, rel), plan.uid, plan.gid);
    },
  };
  const destParts = plan.dest.split('/').filter((p) => p !== '' && p !== '.');
  let destIsDir = plan.destIsDir;
  if (!destIsDir && plan.items.length === 1) {
    // `COPY file /existing-dir` copies into the folder, as Docker does.
    const existing = await resolveDir(rootfs, destParts, { leaf: true }).catch(() => undefined);
    if (existing && (await lstat(join(rootfs, ...existing))).isDirectory()) destIsDir = true;
  }
  if (destIsDir && destParts.length > 0) {
    const dir = await resolveDir(rootfs, destParts, create);
    written.add(dir.join('/'));
  }
  // Items come folder first, then what is in it. Parent folders are resolved once each (a context of
  // 5,000 files has ~100), and the files and symlinks between two folders are placed together, with
  // synchronous calls (several times faster than async ones for small files, see batch.ts).
  const parents = new Map<string, string[]>();
  /** Every path a memoised parent went through, as written and as resolved (symlinks followed). */
  const resolvedDirs = new Set<string>();
  let batch: Array<{ rel: string; item: CopyItem; mayExist: boolean }> = [];
  const flush = async (): Promise<void> => {
    const placing = batch;
    batch = [];
    const large: Array<Promise<void>> = [];
    await mapChunked(placing, ({ rel, item, mayExist }) => {
      const copying = place(join(rootfs, rel), item, plan.mode ?? item.mode, mayExist, kept.slot(rel));
      if (copying) large.push(copying.then(() => lchown(join(rootfs, rel), plan.uid, plan.gid)));
      else lchownSync(join(rootfs, rel), plan.uid, plan.gid);
    });
    await Promise.all(large);
  };
  for (const item of plan.items) {
    const target = destIsDir ? [...destParts, ...item.destRel.split('/')] : destParts;
    if (target.length === 0) continue; // copying a folder onto / itself: its contents carry the change
    const parentKey = target.slice(0, -1).join('/');
    let parent = parents.get(parentKey);
    if (!parent) {
      // Resolving may create folders, and a pending item may be what it walks through: place them first.
      await flush();
      parent = await resolveDir(rootfs, target.slice(0, -1), create);
      parents.set(parentKey, parent);
      for (let i = 1; i <= parent.length; i++) resolvedDirs.add(parent.slice(0, i).join('/'));
      for (let i = 1; i < target.length; i++) resolvedDirs.add(target.slice(0, i).join('/'));
    }
    const rel = [...parent, target[target.length - 1]!].join('/');
    // An item landing on a path some parent resolved through (a folder replacing a symlink, conflicting
    // sources) may change what later paths resolve to: it is placed alone, and parents resolved again.
    const replacesParent = resolvedDirs.has(rel);
    if (replacesParent) {
      parents.clear();
      resolvedDirs.clear();
      // Paths already written may now lead elsewhere: the layer reads every file back, as it finds it.
      kept.disable();
    }
    const mayExist = written.has(rel) || !fresh.has(parent.join('/'));
    if (item.type === 'directory' || replacesParent || written.has(rel)) {
      await flush();
      if (item.type === 'directory' && !(mayExist && lstatSync(join(rootfs, rel), { throwIfNoEntry: false })))
        fresh.add(rel);
      await place(join(rootfs, rel), item, plan.mode ?? item.mode, mayExist, kept.slot(rel));
      lchownSync(join(rootfs, rel), plan.uid, plan.gid);
    } else batch.push({ rel, item, mayExist });
    written.add(rel);
  }
  await flush();
  for (const doc of plan.inline) {
    const parts = doc.path.split('/').filter((p) => p !== '' && p !== '.');
    const parent = await resolveDir(rootfs, parts.slice(0, -1), create);
    const rel = [...parent, parts[parts.length - 1]!].join('/');
    kept.slot(rel)(undefined);
    await rm(join(rootfs, rel), { recursive: true, force: true });
    await writeFile(join(rootfs, rel), doc.content, { mode: plan.mode ?? 0o644 });
    await setMode(join(rootfs, rel), plan.mode ?? 0o644);
    await lchown(join(rootfs, rel), plan.uid, plan.gid);
    written.add(rel);
  }
  written.delete('');
  return entriesForPaths(rootfs, written, kept.bytes);
}

/** Kept bytes stop at this total; further files are read back from the rootfs when the layer is written. */
const KEPT_BYTES_MAX = 64 * 1024 * 1024;

/** The bytes each small file was written with, by path in the rootfs; whatever else lands there drops them. */
class KeptBytes {
  readonly bytes = new Map<string, Buffer>();
  private total = 0;
  private enabled = true;

  /** What `place` reports for `rel`: the bytes it wrote there, or undefined for anything else. */
  slot(rel: string): (bytes: Buffer | undefined) => void {
    return (bytes) => {
      const old = this.bytes.get(rel);
      if (old) this.total -= old.byteLength;
      this.bytes.delete(rel);
      if (!bytes || !this.enabled || this.total + bytes.byteLength > KEPT_BYTES_MAX) return;
      this.bytes.set(rel, bytes);
      this.total += bytes.byteLength;
    };
  }

  disable(): void {
    this.enabled = false;
    this.bytes.clear();
    this.total = 0;
  }
}

/** Files above this size are copied asynchronously, so a large asset never holds the event loop. */
const SYNC_COPY_MAX = 1024 * 1024;

/**
 * Synchronous for folders, symlinks and small files; a large file's copy is returned as a promise.
 * `keep` gets a small file's bytes as written, and undefined for anything else placed at `host`.
 */
function place(
  host: string,
  item: CopyItem,
  mode: number,
  mayExist: boolean,
  keep: (bytes: Buffer | undefined) => void,
): Promise<void> | undefined {
  keep(undefined);
  const existing = mayExist ? lstatSync(host, { throwIfNoEntry: false }) : undefined;
  if (item.type === 'directory') {
    if (existing && !existing.isDirectory()) rmSync(host, { force: true });
    if (!existing?.isDirectory()) mkdirSync(host);
    chmodSync(host, mode);
    return undefined;
  }
  if (existing) rmSync(host, { recursive: true, force: true });
  if (item.type === 'symlink') {
    symlinkSync(item.linkTarget ?? '', host);
    return undefined;
  }
  // The layer writer clamps times to SOURCE_DATE_EPOCH, so an older Last-Modified survives, as in Docker.
  // The listing's stat key carries the size (dev:ino:size:…); other sources are looked at.
  const size = item.statKey ? Number(item.statKey.split(':', 3)[2]) : lstatSync(item.host).size;
  if (size > SYNC_COPY_MAX)
    return (async () => {
      await copyFile(item.host, host);
      await setMode(host, mode);
      if (item.mtime !== undefined) await utimes(host, item.mtime, item.mtime);
    })();
  // Read and written whole: as many calls as copyFileSync, and the layer then needs no read-back.
  const bytes = readFileSync(item.host);
  writeFileSync(host, bytes);
  keep(bytes);
  chmodSync(host, mode);
  if (item.mtime !== undefined) utimesSync(host, item.mtime, item.mtime);
  return undefined;
}

/** `--chmod=755` (octal only, as BuildKit accepts without the labs syntax). */
export function parseChmod(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-7]{1,4}$/.test(value)) throw new GovcError('BAD_FLAG', `--chmod=${value}: only octal modes are supported`);
  return parseInt(value, 8);
}

/** Relative destinations are under WORKDIR; a trailing `/` (or `.`) marks a folder. */
export function destinationOf(dest: string, workdir: string): { path: string; isDir: boolean } {
  const isDir = dest.endsWith('/') || dest === '.' || dest.endsWith('/.');
  return { path: posix.resolve(workdir || '/', dest), isDir };
}
