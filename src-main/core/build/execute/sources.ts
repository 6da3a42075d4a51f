/**
 * COPY/ADD sources from a folder on disk (the build context, or another stage's rootfs). The folder is
 * listed once, minus what `.dockerignore` excludes; which entries a COPY selects is the frontend's
 * `selectSources` (../context), which works over any entry list. Each selected file gets a content digest
 * for the step's cache key.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GovcError } from '../../../../src-shared/errors';
import { chooseIgnoreFile, IgnoreMatcher } from '../context/ignore';
import { hasWildcard } from '../context/pattern';
import { SelectError, selectSources, type ContextEntry } from '../context/select';
import { LoopYielder, yieldToLoop } from '../layers/batch';
import { fileDigest, rememberedDigest, statKey } from '../plan/file-digests';

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
  items: readonly CopyItem[];
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
  return { root, entries: sameAsLast(root, await listFolder(root, ignore, statKeys)), statKeys };
}

/**
 * The last listing of each context folder. A rebuild whose listing has the same paths, types, modes and
 * link targets gets the earlier array back, so the COPY selections made over it are reused (`selectFrom`
 * memoises by the array) instead of being matched again. Whether file contents changed is not decided
 * here: the new stat keys go to the digest check as always.
 */
const lastListings = new Map<string, ContextEntry[]>();
const MAX_LISTINGS = 16;

function sameAsLast(root: string, entries: ContextEntry[]): ContextEntry[] {
  const last = lastListings.get(root);
  lastListings.delete(root);
  const same =
    last !== undefined &&
    last.length === entries.length &&
    entries.every((e, i) => {
      const o = last[i]!;
      return o.path === e.path && o.type === e.type && o.mode === e.mode && o.target === e.target;
    });
  const kept = same ? last : entries;
  if (lastListings.size >= MAX_LISTINGS) lastListings.delete(lastListings.keys().next().value!);
  lastListings.set(root, kept);
  return kept;
}

/** selectSources' answers by entry list (kept only as long as that list), then by sources and options. */
const selections = new WeakMap<readonly ContextEntry[], Map<string, ReturnType<typeof selectSources>>>();

function selectMemoised(
  entries: readonly ContextEntry[],
  sources: string[],
  options: { excludes?: string[]; parents?: boolean },
): ReturnType<typeof selectSources> {
  let byQuery = selections.get(entries);
  if (!byQuery) selections.set(entries, (byQuery = new Map()));
  const query = JSON.stringify([sources, options.excludes ?? [], options.parents ?? false]);
  let selected = byQuery.get(query);
  if (!selected) byQuery.set(query, (selected = selectSources(entries, sources, options)));
  return selected;
}

/**
 * Lists `root` (sorted, depth first). The readdir and lstat calls are synchronous (a no-change rebuild is
 * mostly this listing, and sync lstat is several times faster than async on cached metadata; see
 * layers/batch.ts), yielding to the event loop every few hundred entries.
 */
export async function listFolder(
  root: string,
  ignore?: IgnoreMatcher,
  statKeys?: Map<string, string>,
): Promise<ContextEntry[]> {
  const entries: ContextEntry[] = [];
  const yielder = new LoopYielder();
  const visit = async (rel: string): Promise<void> => {
    const names = readdirSync(rel ? join(root, rel) : root).sort();
    for (const name of names) {
      if (yielder.due()) await yieldToLoop();
      const path = rel ? `${rel}/${name}` : name;
      const info = lstatSync(join(root, path));
      const mode = info.mode & 0o7777;
      const ignored = ignore?.ignores(path) ?? false;
      if (info.isDirectory()) {
        if (!ignored) entries.push({ path, type: 'dir', mode });
        if (!ignored || ignore!.mayIncludeUnder(path)) await visit(path);
      } else if (ignored) continue;
      else if (info.isSymbolicLink())
        entries.push({ path, type: 'symlink', mode, target: readlinkSync(join(root, path)) });
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
    selected = selectMemoised(folder.entries, sources, options);
  } catch (err) {
    if (err instanceof SelectError)
      throw new GovcError('BAD_COPY_SOURCE', err.message, { source: err.source, reason: err.code });
    throw err;
  }
  const items = reuseItems(folder, selected) ?? itemsOf(folder, selected);
  const single =
    sources.length === 1 &&
    !hasWildcard(sources[0]!) &&
    items.length === 1 &&
    items[0]!.type !== 'directory' &&
    !namesDirectory(folder, sources[0]!);
  return { items, multiple: !single };
}

type Selected = ReturnType<typeof selectSources>;

/**
 * The item list made last time from this same selection (same listing array, same query), by selection.
 * A rebuild whose files kept their stat keys (and blob ids) gets the very same array back, which lets
 * `digestSources` return its whole earlier answer without looking at 5,000 items one by one.
 */
let itemLists = new WeakMap<Selected, { root: string; items: readonly CopyItem[] }>();

function reuseItems(folder: SourceFolder, selected: Selected): readonly CopyItem[] | undefined {
  const last = itemLists.get(selected);
  if (!last || last.root !== folder.root) return undefined;
  for (let i = 0; i < selected.length; i++) {
    const { path } = selected[i]!.entry;
    const item = last.items[i]!;
    if (item.statKey !== folder.statKeys?.get(path) || item.contentDigest !== folder.digests?.get(path))
      return undefined;
  }
  return last.items;
}

function itemsOf(folder: SourceFolder, selected: Selected): readonly CopyItem[] {
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
  // Frozen: the array (and so its digests' memo) is shared by every build that selects the same files.
  for (const item of items) Object.freeze(item);
  itemLists.set(selected, { root: folder.root, items: Object.freeze(items) });
  return items;
}

/** A folder holding one file still copies as a folder: `COPY bin /usr/local/bin` makes a directory. */
function namesDirectory(folder: SourceFolder, source: string): boolean {
  const path = posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  if (path === '.' || path === '') return true;
  return folder.entries.some((entry) => entry.path === path && entry.type === 'dir');
}

/**
 * Digests every selected entry's type, mode, destination and content (or link target), by source path.
 * One item at a time: a remembered file digest costs no I/O and other files are small synchronous reads
 * (file-digests.ts), so promises per item would cost more than the work.
 */
export async function digestSources(items: readonly CopyItem[]): Promise<Readonly<Record<string, string>>> {
  const whole = wholeDigests.get(items);
  if (whole) return whole;
  const out: Record<string, string> = {};
  /** Whether every digest below is one `itemDigests` would give back, so the whole answer can be kept. */
  let stable = true;
  const yielder = new LoopYielder();
  for (const item of items) {
    if (yielder.due()) await yieldToLoop();
    // A file with the same type, mode, destination and content identity as when its digest was memoised
    // gets that digest back without hashing. The identity is a git blob id, or the stat key under which
    // file-digests.ts remembered the content: it only remembers once the file's ctime is well before the
    // read, so one stat key never stands for two contents.
    const identity =
      item.type !== 'file'
        ? undefined
        : item.contentDigest !== undefined
          ? `known:${item.contentDigest}`
          : item.statKey === undefined
            ? undefined
            : `stat:${item.statKey}`;
    const memoKey = `${item.type}\0${item.mode}\0${item.destRel}\0${identity}`;
    const memo = identity === undefined ? undefined : itemDigests.get(item.host);
    if (memo?.key === memoKey) {
      out[item.sourcePath || '.'] = memo.digest;
      continue;
    }
    let remembered = item.type === 'file' ? rememberedDigest(item.host, item.statKey) : undefined;
    // A known content digest goes in the header (`file@<digest>`), so it can never collide with bytes.
    const known = item.type === 'file' && item.contentDigest !== undefined;
    const kind = known ? `${item.type}@${item.contentDigest}` : item.type;
    const hash = createHash('sha256').update(`${kind}\0${item.mode.toString(8)}\0${item.destRel}\0`);
    // Files on disk go by their remembered digest, so a rebuild with nothing changed reads none of them.
    if (item.type === 'file' && !known) {
      hash.update(remembered ?? (await fileDigest(item.host, item.statKey)));
      // A file just read whose ctime was clearly before the read is now remembered under its stat key
      // (never a racy one), so the first rebuild after a cold build already gets the memos below.
      remembered ??= rememberedDigest(item.host, item.statKey);
    } else if (item.type === 'symlink') hash.update(item.linkTarget ?? '');
    const digest = `sha256:${hash.digest('hex')}`;
    out[item.sourcePath || '.'] = digest;
    if (identity !== undefined && (known || remembered !== undefined)) {
      if (itemDigests.size >= MAX_ITEM_DIGESTS) itemDigests.delete(itemDigests.keys().next().value!);
      itemDigests.set(item.host, { key: memoKey, digest });
    } else if (item.type === 'file') stable = false;
  }
  // Sorted by source path once, so the step key's sort finds it in order; frozen since builds share it.
  const sorted = Object.freeze(
    Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );
  if (stable && Object.isFrozen(items)) wholeDigests.set(items, sorted);
  return sorted;
}

/**
 * `digestSources`' answer by item list, kept only when every file's digest came from a git blob id or a
 * content digest remembered under its stat key (never a racy read): the list is frozen and is handed out
 * again by `selectFrom` only while every stat key and blob id is unchanged, so the answer still holds.
 */
let wholeDigests = new WeakMap<readonly CopyItem[], Readonly<Record<string, string>>>();

/**
 * Each file item's last digest by host path, with the type, mode, destination and content identity it was
 * computed from (bounded, oldest out). Only digests made from a git blob id or from a content digest
 * already remembered under the item's stat key are kept, never one from a racy read.
 */
const itemDigests = new Map<string, { key: string; digest: string }>();
const MAX_ITEM_DIGESTS = 500_000;

/** Forgets the listings and item digests kept between builds (tests compare with a fresh process). */
export function forgetSourceMemos(): void {
  itemDigests.clear();
  lastListings.clear();
  itemLists = new WeakMap();
  wholeDigests = new WeakMap();
}
