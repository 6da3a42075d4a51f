/**
 * COPY/ADD source selection over an abstract list of context entries (a directory on disk and a git tree look
 * the same here). Docker's rules: sources are relative to the context root (a leading `/` included) and may
 * not climb out of it; `*`, `?` and `[…]` match within one path segment; a directory source copies its
 * contents; `--exclude` drops paths; `--parents` keeps the source's directories (below a `/./` pivot when
 * there is one).
 */
import { cleanPath, compilePattern, hasWildcard, matchesOrParent, type PatternError } from './pattern';

export interface ContextEntry {
  /** Relative to the context root, `/`-separated, without `./`. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  /** For symlinks, when known: the link's target as stored. */
  target?: string;
}

export interface SelectedEntry {
  entry: ContextEntry;
  /** Where it goes, relative to the destination directory (or the destination itself when `''`). */
  dest: string;
  /** The source pattern that selected it. */
  source: string;
}

export type SelectErrorCode = 'OUTSIDE_CONTEXT' | 'NOT_FOUND' | 'NO_SOURCE' | 'BAD_PATTERN';

export class SelectError extends Error {
  constructor(
    readonly code: SelectErrorCode,
    message: string,
    readonly source?: string,
  ) {
    super(message);
    this.name = 'SelectError';
  }
}

export interface SelectOptions {
  excludes?: readonly string[];
  parents?: boolean;
}

/** Throws `SelectError`. With one file source, its `dest` is its base name; the executor decides file vs dir. */
export function selectSources(
  entries: readonly ContextEntry[],
  sources: readonly string[],
  options: SelectOptions = {},
): SelectedEntry[] {
  if (sources.length === 0) throw new SelectError('NO_SOURCE', 'no source files were specified');
  const byPath = new Map(entries.map((entry) => [cleanPath(entry.path), entry]));
  const excludes = compileAll(options.excludes ?? []);
  const selected: SelectedEntry[] = [];
  for (const source of sources) {
    const { path, pivot } = normalizeSource(source);
    const roots = hasWildcard(path) ? matchWildcard(byPath, path, source) : [exactRoot(byPath, path, source)];
    for (const root of roots) {
      const base = options.parents ? stripPivot(root.path, pivot) : lastSegment(root.path);
      for (const item of expand(byPath, root)) {
        const dest = joinPath(base, item.relative, root.entry.type === 'dir' && !options.parents);
        if (excludes.some((re) => matchesOrParent(re, dest) || matchesOrParent(re, item.entry.path))) continue;
        selected.push({ entry: item.entry, dest, source });
      }
    }
  }
  return selected;
}

function compileAll(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return compilePattern(cleanPath(pattern.replace(/^\/+/, '')));
    } catch (error) {
      throw new SelectError('BAD_PATTERN', `--exclude=${pattern}: ${(error as PatternError).message}`, pattern);
    }
  });
}

/** `/a/./b` → path `a/b` with the pivot after `a`; rejects paths that climb out of the context. */
function normalizeSource(source: string): { path: string; pivot?: string } {
  const pivotAt = source.indexOf('/./');
  const relative = source.replace(/^\/+/, '');
  const cleaned = cleanPath(relative);
  if (cleaned === '..' || cleaned.startsWith('../')) {
    throw new SelectError('OUTSIDE_CONTEXT', `forbidden path outside the build context: ${source}`, source);
  }
  const pivot = pivotAt > 0 ? cleanPath(source.slice(0, pivotAt).replace(/^\/+/, '')) : undefined;
  return { path: cleaned, ...(pivot === undefined || pivot === '.' ? {} : { pivot }) };
}

interface Root {
  path: string;
  entry: ContextEntry;
}

function exactRoot(byPath: ReadonlyMap<string, ContextEntry>, path: string, source: string): Root {
  if (path === '.') return { path: '.', entry: { path: '.', type: 'dir', mode: 0o755 } };
  const entry = follow(byPath, path);
  if (!entry) throw new SelectError('NOT_FOUND', `"${source}": not found in the build context`, source);
  return { path, entry };
}

function matchWildcard(byPath: ReadonlyMap<string, ContextEntry>, path: string, source: string): Root[] {
  let re: RegExp;
  try {
    re = compilePattern(path);
  } catch (error) {
    throw new SelectError('BAD_PATTERN', `${source}: ${(error as PatternError).message}`, source);
  }
  const roots = [...byPath.keys()]
    .filter((candidate) => re.test(candidate))
    .sort()
    .map((candidate) => ({
      path: candidate,
      entry: follow(byPath, candidate) ?? (byPath.get(candidate) as ContextEntry),
    }));
  if (roots.length === 0) {
    throw new SelectError('NO_SOURCE', `no source files were specified: "${source}" matched nothing`, source);
  }
  return roots;
}

/** Follows a symlink named as a source (Docker copies what it points to), staying inside the context. */
function follow(byPath: ReadonlyMap<string, ContextEntry>, path: string): ContextEntry | undefined {
  let entry = byPath.get(path);
  for (let hops = 0; entry?.type === 'symlink' && entry.target !== undefined && hops < 40; hops++) {
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const relative = entry.target.startsWith('/')
      ? entry.target.slice(1)
      : dir === ''
        ? entry.target
        : `${dir}/${entry.target}`;
    const next = cleanPath(relative);
    if (next.startsWith('..')) return entry;
    const target = byPath.get(next);
    if (!target) return entry;
    path = next;
    entry = target;
  }
  return entry;
}

function expand(
  byPath: ReadonlyMap<string, ContextEntry>,
  root: Root,
): Array<{ entry: ContextEntry; relative: string }> {
  if (root.entry.type !== 'dir') return [{ entry: root.entry, relative: '' }];
  const realDir =
    root.entry.path === '.' ? '' : cleanPath(byPath.get(root.path)?.type === 'dir' ? root.path : root.entry.path);
  const prefix = realDir === '' ? '' : realDir + '/';
  const items: Array<{ entry: ContextEntry; relative: string }> = [];
  for (const [path, entry] of byPath) {
    if (prefix === '' || path.startsWith(prefix)) items.push({ entry, relative: path.slice(prefix.length) });
  }
  return items.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

function stripPivot(path: string, pivot?: string): string {
  if (pivot === undefined) return path === '.' ? '' : path;
  return path === pivot ? '' : path.startsWith(pivot + '/') ? path.slice(pivot.length + 1) : path;
}

function lastSegment(path: string): string {
  return path === '.' ? '' : (path.split('/').pop() as string);
}

/** A directory's contents land directly in the destination; a file keeps its base name. */
function joinPath(base: string, relative: string, contentsOnly: boolean): string {
  if (contentsOnly) return relative;
  if (relative === '') return base;
  return base === '' ? relative : `${base}/${relative}`;
}
