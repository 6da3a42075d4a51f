/**
 * A build context from a git tree (a commit's, or the work tree's): entries come from the tree with their
 * modes, `.dockerignore` is read from the same tree, and each file's cache digest is its blob id, so a COPY
 * key never reads an unchanged file. COPY and `RUN --mount=type=bind` read files from a folder, so the
 * selected entries are then written out once into a scratch folder for the build.
 *
 * This file knows nothing of the repository classes: a tree is a path → {oid, mode} map and a blob reader.
 */
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IgnoreMatcher } from './ignore';
import { cleanPath } from './pattern';
import type { ContextEntry } from './select';

export type GitFileMode = '100644' | '100755' | '120000' | '160000';

export interface GitTree {
  /** Every file of the tree by its full path (`/`-separated, no leading `/`). */
  files: ReadonlyMap<string, { oid: string; mode: GitFileMode }>;
  readBlob(oid: string): Promise<Buffer>;
}

export interface GitContextOptions {
  /** The context folder within the tree; '' or '.' for the root. */
  folder: string;
  /** The Dockerfile's path within the tree: `<Dockerfile>.dockerignore` next to it wins over `.dockerignore`. */
  dockerfile: string;
}

export interface GitContext {
  /** Entries relative to the context folder, minus what the ignore file excludes, sorted by path. */
  entries: ContextEntry[];
  /** File path (relative to the context) → content digest (`git-blob:<oid>`). */
  digests: Map<string, string>;
  /** Which ignore file applied, as a tree path. */
  ignoreFile: string | undefined;
  /** The files to write out, with their blob ids. */
  files: Array<{ path: string; oid: string }>;
}

/** Git stores no folder modes; a checkout makes them 0755, and so does this. */
const DIR_MODE = 0o755;

export function gitBlobDigest(oid: string): string {
  return `git-blob:${oid}`;
}

export function normalizeFolder(folder: string): string {
  const clean = cleanPath(folder.replace(/^\/+/, ''));
  return clean === '.' ? '' : clean;
}

export async function listGitContext(tree: GitTree, options: GitContextOptions): Promise<GitContext> {
  const folder = normalizeFolder(options.folder);
  const prefix = folder === '' ? '' : `${folder}/`;
  const dockerfile = cleanPath(options.dockerfile.replace(/^\/+/, ''));
  const ignoreFile = chooseIgnoreFileInTree(tree, dockerfile, prefix);
  const ignore = ignoreFile
    ? IgnoreMatcher.fromText((await tree.readBlob(tree.files.get(ignoreFile)!.oid)).toString('utf8'))
    : undefined;

  // A folder is walked into when it is kept, or when an exception pattern may still include something
  // below it: the same rule listFolder applies to a folder on disk.
  const reachable = new Map<string, boolean>([['', true]]);
  const reach = (dir: string): boolean => {
    let known = reachable.get(dir);
    if (known === undefined) {
      const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
      known = reach(parent) && (!ignore || !ignore.ignores(dir) || ignore.mayIncludeUnder(dir));
      reachable.set(dir, known);
    }
    return known;
  };

  const entries: ContextEntry[] = [];
  const dirs = new Set<string>();
  const digests = new Map<string, string>();
  const files: Array<{ path: string; oid: string }> = [];
  for (const [full, file] of tree.files) {
    if (!full.startsWith(prefix) || file.mode === '160000') continue; // a submodule checks out as nothing
    const path = full.slice(prefix.length);
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (!reach(parent) || ignore?.ignores(path)) continue;
    for (
      let dir = parent;
      dir !== '' && !dirs.has(dir);
      dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : ''
    ) {
      dirs.add(dir);
      if (!ignore?.ignores(dir)) entries.push({ path: dir, type: 'dir', mode: DIR_MODE });
    }
    if (file.mode === '120000') {
      const target = (await tree.readBlob(file.oid)).toString('utf8');
      entries.push({ path, type: 'symlink', mode: 0o777, target });
    } else {
      entries.push({ path, type: 'file', mode: file.mode === '100755' ? 0o755 : 0o644 });
      digests.set(path, gitBlobDigest(file.oid));
    }
    files.push({ path, oid: file.oid });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, digests, ignoreFile, files };
}

/** As BuildKit: `<Dockerfile>.dockerignore` beside the Dockerfile, else `.dockerignore` at the context root. */
function chooseIgnoreFileInTree(tree: GitTree, dockerfile: string, prefix: string): string | undefined {
  for (const candidate of [`${dockerfile}.dockerignore`, `${prefix}.dockerignore`]) {
    if (tree.files.get(candidate)?.mode.startsWith('100')) return candidate;
  }
  return undefined;
}

/** Writes the context's entries into `root` (an empty folder): folders, files with their modes, symlinks. */
export async function writeGitContext(tree: GitTree, context: GitContext, root: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: DIR_MODE });
  for (const entry of context.entries) {
    if (entry.type === 'dir') await mkdir(join(root, entry.path), { recursive: true, mode: DIR_MODE });
  }
  const byPath = new Map(context.entries.map((e) => [e.path, e]));
  const pending = [...context.files];
  // A few writes in flight: the blobs are in memory, so the disk is the limit, not the reads.
  const worker = async (): Promise<void> => {
    for (let next = pending.pop(); next; next = pending.pop()) {
      const entry = byPath.get(next.path)!;
      const host = join(root, next.path);
      // Parents of a kept file below an ignored folder (an exception pattern) have no entry of their own.
      const parent = next.path.includes('/') ? next.path.slice(0, next.path.lastIndexOf('/')) : '';
      if (parent !== '' && !byPath.has(parent)) await mkdir(join(root, parent), { recursive: true, mode: DIR_MODE });
      if (entry.type === 'symlink') await symlink(entry.target ?? '', host);
      else {
        await writeFile(host, await tree.readBlob(next.oid));
        await chmod(host, entry.mode); // writeFile's mode passes through the umask
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
