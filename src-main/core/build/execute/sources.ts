/**
 * COPY/ADD sources from a folder on disk (the build context, or another stage's rootfs). The folder is
 * listed once, minus what `.dockerignore` excludes; which entries a COPY selects is the frontend's
 * `selectSources` (../context), which works over any entry list. Each selected file gets a content digest
 * for the step's cache key.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { chooseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import { hasWildcard } from '../context/pattern';
import { SelectError, selectSources, type ContextEntry } from '../context/select';
import { mapBatched } from '../layers/batch';
import { fileDigest, statKey } from '../plan/file-digests';

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
  /** What identifies the file's bytes when the source already knows it (a git blob id): then it is not read. */
  contentDigest?: string;
  /** `statKey` from the listing's lstat, so the digest check need not lstat again. */
  statKey?: string;
  /** Downloaded by ADD from a URL: never extracted as an archive. */
  remote?: boolean;
  /** Seconds since the epoch to give the copy (a download's Last-Modified); else the copy's own time. */
  mtime?: number;
}

export interface Selection {
  items: CopyItem[];
  /** False only for one plain file named without wildcards: then the destination may be a file name. */
  multiple: boolean;
}

export interface SourceFolder {
  root: string;
  entries: ContextEntry[];
  /** Content digests by entry path, for sources that know them without reading (a git tree's blob ids). */
  digests?: ReadonlyMap<string, string>;
  /** `statKey` of each file as listed, by entry path. */
  statKeys?: ReadonlyMap<string, string>;
}

/**
 * Listings made by whoever wrote a context folder (a git tree written out for one build): the build lists
 * its context through `listContext`, so a registered listing, with its blob ids and the tree's own
 * .dockerignore already applied, is used instead of reading the folder back.
 */
const preparedListings = new Map<string, SourceFolder>();

/** Registers `folder` as the listing of `folder.root`; the returned function unregisters it. */
export function registerContextListing(folder: SourceFolder): () => void {
  preparedListings.set(folder.root, folder);
  return () => {
    if (preparedListings.get(folder.root) === folder) preparedListings.delete(folder.root);
  };
}

/** Lists a build context, honouring `<Dockerfile>.dockerignore` or `.dockerignore`. */
export async function listContext(root: string, dockerfileName = 'Dockerfile'): Promise<SourceFolder> {
  const prepared = preparedListings.get(root);
  if (prepared) return prepared;
  const ignoreFile = chooseIgnoreFile(dockerfileName, (p) => existsSync(join(root, p)));
  const ignore = ignoreFile ? IgnoreMatcher.fromText(await readFile(join(root, ignoreFile), 'utf8')) : undefined;
  const statKeys = new Map<string, string>();
  return { root, entries: await listFolder(root, ignore, statKeys), statKeys };
}

/** Lists `root` (sorted, depth first); each folder's entries are lstat'ed in parallel batches. */
export async function listFolder(
  root: string,
  ignore?: IgnoreMatcher,
  statKeys?: Map<string, string>,
): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(rel ? join(root, rel) : root)).sort();
    const paths = names.map((name) => (rel ? `${rel}/${name}` : name));
    const infos = await mapBatched(paths, (path) => lstat(join(root, path), { bigint: true }));
    for (const [i, path] of paths.entries()) {
      const info = infos[i]!;
      const mode = Number(info.mode & 0o7777n);
      const ignored = ignore?.ignores(path) ?? false;
      if (info.isDirectory()) {
        if (!ignored) entries.push({ path, type: 'dir', mode });
        if (!ignored || ignore!.mayIncludeUnder(path)) await visit(path);
      } else if (ignored) continue;
      else if (info.isSymbolicLink())
        entries.push({ path, type: 'symlink', mode, target: await readlink(join(root, path)) });
      else if (info.isFile()) {
        entries.push({ path, type: 'file', mode });
        statKeys?.set(path, statKey(info));
      }
      // Sockets, FIFOs and devices are skipped, as docker build skips them.
    }
  };
  await visit('');
  return entries;
}

export function selectFrom(
  folder: SourceFolder,
  sources: string[],
  options: { excludes?: string[]; parents?: boolean } = {},
): Selection {
  let selected;
  try {
    selected = selectSources(folder.entries, sources, options);
  } catch (err) {
    if (err instanceof SelectError)
      throw new GovcError('BAD_COPY_SOURCE', err.message, { source: err.source, reason: err.code });
    throw err;
  }
  const items: CopyItem[] = selected.map(({ entry, dest }) => ({
    host: join(folder.root, entry.path),
    sourcePath: entry.path,
    destRel: dest,
    type: entry.type === 'dir' ? 'directory' : entry.type,
    mode: entry.mode,
    ...(entry.target === undefined ? {} : { linkTarget: entry.target }),
    ...(folder.digests?.has(entry.path) ? { contentDigest: folder.digests.get(entry.path)! } : {}),
    ...(folder.statKeys?.has(entry.path) ? { statKey: folder.statKeys.get(entry.path)! } : {}),
  }));
  const single =
    sources.length === 1 &&
    !hasWildcard(sources[0]!) &&
    items.length === 1 &&
    items[0]!.type !== 'directory' &&
    !namesDirectory(folder, sources[0]!);
  return { items, multiple: !single };
}

/** A folder holding one file still copies as a folder: `COPY bin /usr/local/bin` makes a directory. */
function namesDirectory(folder: SourceFolder, source: string): boolean {
  const path = posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  if (path === '.' || path === '') return true;
  return folder.entries.some((entry) => entry.path === path && entry.type === 'dir');
}

/** Digests every selected entry's type, mode, destination and content (or link target), by source path. */
export async function digestSources(items: CopyItem[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const digests = await mapBatched(items, async (item) => {
    // A known content digest goes in the header (`file@<digest>`), so it can never collide with bytes.
    const known = item.type === 'file' && item.contentDigest !== undefined;
    const kind = known ? `${item.type}@${item.contentDigest}` : item.type;
    const hash = createHash('sha256').update(`${kind}\0${item.mode.toString(8)}\0${item.destRel}\0`);
    // Files on disk go by their remembered digest, so a rebuild with nothing changed reads none of them.
    if (item.type === 'file' && !known) hash.update(await fileDigest(item.host, item.statKey));
    else if (item.type === 'symlink') hash.update(item.linkTarget ?? '');
    return `sha256:${hash.digest('hex')}`;
  });
  for (const [i, item] of items.entries()) out[item.sourcePath || '.'] = digests[i]!;
  return out;
}
