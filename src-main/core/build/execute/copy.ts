/**
 * COPY/ADD into a stage's rootfs: files are written where the rootfs (symlinks followed inside it) says
 * the destination is, then the layer is read back from exactly those paths and their parents, so the
 * layer carries the real modes of existing parents (a sticky /tmp stays sticky).
 */
import { copyFile, lchown, lstat, mkdir, rm, chmod as setMode, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { entriesForPaths } from '../layers/diff';
import type { LayerEntry } from '../layers/entry';
import { resolveDir } from '../layers/resolve';
import type { CopyItem } from './sources';

export interface CopyPlan {
  items: CopyItem[];
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
  // Folders the copy has to make belong to --chown too, as in BuildKit and buildah; existing ones keep theirs.
  const create = {
    create: true,
    onCreate: (rel: string) => lchown(join(rootfs, rel), plan.uid, plan.gid),
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
  for (const item of plan.items) {
    const target = destIsDir ? [...destParts, ...item.destRel.split('/')] : destParts;
    if (target.length === 0) continue; // copying a folder onto / itself: its contents carry the change
    const parent = await resolveDir(rootfs, target.slice(0, -1), create);
    const rel = [...parent, target[target.length - 1]!].join('/');
    const mode = plan.mode ?? item.mode;
    await place(join(rootfs, rel), item, mode);
    await lchown(join(rootfs, rel), plan.uid, plan.gid);
    written.add(rel);
  }
  for (const doc of plan.inline) {
    const parts = doc.path.split('/').filter((p) => p !== '' && p !== '.');
    const parent = await resolveDir(rootfs, parts.slice(0, -1), create);
    const rel = [...parent, parts[parts.length - 1]!].join('/');
    await rm(join(rootfs, rel), { recursive: true, force: true });
    await writeFile(join(rootfs, rel), doc.content, { mode: plan.mode ?? 0o644 });
    await setMode(join(rootfs, rel), plan.mode ?? 0o644);
    await lchown(join(rootfs, rel), plan.uid, plan.gid);
    written.add(rel);
  }
  written.delete('');
  return entriesForPaths(rootfs, written);
}

async function place(host: string, item: CopyItem, mode: number): Promise<void> {
  const existing = await lstat(host).catch(() => undefined);
  if (item.type === 'directory') {
    if (existing && !existing.isDirectory()) await rm(host, { force: true });
    if (!existing?.isDirectory()) await mkdir(host);
    await setMode(host, mode);
    return;
  }
  if (existing) await rm(host, { recursive: true, force: true });
  if (item.type === 'symlink') await symlink(item.linkTarget ?? '', host);
  else {
    await copyFile(item.host, host);
    await setMode(host, mode);
    // The layer writer clamps times to SOURCE_DATE_EPOCH, so an older Last-Modified survives, as in Docker.
    if (item.mtime !== undefined) await utimes(host, item.mtime, item.mtime);
  }
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
