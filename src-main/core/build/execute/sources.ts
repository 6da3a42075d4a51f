/**
 * COPY/ADD source selection over a folder (the build context, or another stage's rootfs): paths are
 * confined to the folder, wildcards match per path component (`*` never crosses `/`), a directory source
 * copies its contents, and every selected file gets a content digest for the step's cache key.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { globMatch } from '../dockerfile/glob';
import { resolveDir } from '../layers/resolve';

export interface CopyItem {
  /** Host path of the source. */
  host: string;
  /** Path relative to the source folder, for cache messages (`src/index.ts changed`). */
  sourcePath: string;
  /** Where it lands, relative to the destination ('' = the destination itself). */
  destRel: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  linkTarget?: string;
}

export interface Selection {
  items: CopyItem[];
  /** Whether any source was a directory or a wildcard: then the destination is a directory. */
  multiple: boolean;
}

const WILDCARD = /[*?[]/;

export async function selectSources(root: string, sources: string[], excludes: string[] = []): Promise<Selection> {
  const items: CopyItem[] = [];
  let multiple = sources.length > 1;
  let all: string[] | undefined;
  for (const source of sources) {
    const parts = source.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..'))
      throw new GovcError('BAD_COPY_SOURCE', `${source}: forbidden path outside the build context`);
    let matches: string[];
    if (WILDCARD.test(source)) {
      multiple = true;
      all ??= await listTree(root);
      matches = all.filter((path) => matchComponents(parts, path.split('/')));
      if (matches.length === 0) throw new GovcError('BAD_COPY_SOURCE', `${source}: no source files match`);
    } else matches = [parts.join('/')];
    for (const match of matches) {
      const host = await followTop(root, match, source);
      const info = await stat(host);
      if (info.isDirectory()) {
        multiple = true;
        await walk(host, match, '', items);
      } else
        items.push({
          host,
          sourcePath: match,
          destRel: match.split('/').pop() ?? match,
          type: 'file',
          mode: info.mode & 0o7777,
        });
    }
  }
  const kept = items.filter((item) => !excludes.some((pattern) => excluded(pattern, item.sourcePath)));
  // A lone file keeps the destination name unless the destination is a folder (decided by the caller).
  return { items: kept, multiple };
}

/** Digests every selected file's type, mode and content (or link target), keyed by its source path. */
export async function digestSources(items: CopyItem[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const hash = createHash('sha256').update(`${item.type}\0${item.mode.toString(8)}\0${item.destRel}\0`);
    if (item.type === 'file') hash.update(await readFile(item.host));
    else if (item.type === 'symlink') hash.update(item.linkTarget ?? '');
    out[item.sourcePath || '.'] = `sha256:${hash.digest('hex')}`;
  }
  return out;
}

/** A source named directly may be a symlink: it is followed, but only within the root. */
async function followTop(root: string, rel: string, source: string): Promise<string> {
  const parts = rel ? rel.split('/') : [];
  try {
    const resolved = await resolveDir(root, parts, { leaf: true });
    return join(root, ...resolved);
  } catch (err) {
    if (err instanceof GovcError && err.code === 'HOSTILE_ARCHIVE')
      throw new GovcError('BAD_COPY_SOURCE', `${source}: a symlink leads outside the build context`);
    if (err instanceof GovcError && (err.code === 'NOT_FOUND' || err.code === 'BAD_LAYER'))
      throw new GovcError('BAD_COPY_SOURCE', `${source}: not found in the build context`);
    throw err;
  }
}

async function walk(host: string, sourcePath: string, destRel: string, items: CopyItem[]): Promise<void> {
  const names = (await readdir(host)).sort();
  for (const name of names) {
    const childHost = join(host, name);
    const childSource = sourcePath ? `${sourcePath}/${name}` : name;
    const childDest = destRel ? `${destRel}/${name}` : name;
    const info = await lstat(childHost);
    const mode = info.mode & 0o7777;
    if (info.isSymbolicLink())
      items.push({
        host: childHost,
        sourcePath: childSource,
        destRel: childDest,
        type: 'symlink',
        mode,
        linkTarget: await readlink(childHost),
      });
    else if (info.isDirectory()) {
      items.push({ host: childHost, sourcePath: childSource, destRel: childDest, type: 'directory', mode });
      await walk(childHost, childSource, childDest, items);
    } else if (info.isFile())
      items.push({ host: childHost, sourcePath: childSource, destRel: childDest, type: 'file', mode });
    // Sockets, FIFOs and devices in a context are skipped, as docker build skips them.
  }
}

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    for (const name of (await readdir(rel ? join(root, rel) : root)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      out.push(child);
      if ((await lstat(join(root, child))).isDirectory()) await visit(child);
    }
  };
  await visit('');
  return out;
}

function matchComponents(pattern: string[], path: string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => globMatch(p, path[i]!));
}

function excluded(pattern: string, path: string): boolean {
  const clean = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  return globMatch(clean, path) || path.startsWith(`${clean}/`);
}
