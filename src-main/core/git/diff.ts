/**
 * Diffs: which files changed between two trees (skipping identical subtrees by oid, so the cost follows the
 * change, not the repository), and per file a unified patch in git's format plus structured hunks.
 * Line diffs come from jsdiff; hunk headers follow git's conventions (`-0,0` for an empty side, a count
 * of 1 omitted) so patches read the way `git diff` prints them.
 */
import { structuredPatch } from 'diff';
import { decodeTree, isBinary, type Entry, type FileMode, type TreeEntry } from './objects';
import type { ObjectStore } from './store';

export type ChangeStatus = 'added' | 'deleted' | 'modified';

export interface FileChange {
  path: string;
  status: ChangeStatus;
  old?: Entry;
  new?: Entry;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Lines prefixed ' ', '+' or '-', and `\ No newline at end of file` markers. */
  lines: string[];
}

export interface FileDiff extends FileChange {
  binary: boolean;
  additions: number;
  deletions: number;
  hunks: Hunk[];
  patch: string;
}

async function treeEntries(store: ObjectStore, oid: string | undefined): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  if (!oid) return out;
  const obj = store.get(oid) ?? (await store.read(oid, 'tree'));
  for (const e of decodeTree(obj.bytes)) out.set(e.name, e);
  return out;
}

/** Files that differ between two trees (either may be absent: an empty side). */
export async function diffTrees(
  store: ObjectStore,
  oldTree: string | undefined,
  newTree: string | undefined,
  prefix = '',
): Promise<FileChange[]> {
  if (oldTree === newTree) return [];
  const [a, b] = [await treeEntries(store, oldTree), await treeEntries(store, newTree)];
  const out: FileChange[] = [];
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(name);
    const y = b.get(name);
    if (x && y && x.oid === y.oid && x.mode === y.mode) continue;
    const path = prefix + name;
    const xTree = x?.mode === '40000' ? x.oid : undefined;
    const yTree = y?.mode === '40000' ? y.oid : undefined;
    if (xTree || yTree) out.push(...(await diffTrees(store, xTree, yTree, path + '/')));
    const xFile = x && !xTree ? { oid: x.oid, mode: x.mode as FileMode } : undefined;
    const yFile = y && !yTree ? { oid: y.oid, mode: y.mode as FileMode } : undefined;
    if (xFile || yFile) out.push(changeOf(path, xFile, yFile)!);
  }
  return out.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
}

export function changeOf(path: string, oldE: Entry | undefined, newE: Entry | undefined): FileChange | undefined {
  if (!oldE && !newE) return undefined;
  if (oldE && newE && oldE.oid === newE.oid && oldE.mode === newE.mode) return undefined;
  const status: ChangeStatus = !oldE ? 'added' : !newE ? 'deleted' : 'modified';
  return { path, status, ...(oldE ? { old: oldE } : {}), ...(newE ? { new: newE } : {}) };
}

function short(oid: string | undefined): string {
  return (oid ?? '0'.repeat(40)).slice(0, 7);
}

function range(start: number, lines: number): string {
  return lines === 1 ? `${start}` : `${start},${lines}`;
}

/** A file's patch; `read` supplies the contents of either side. */
export function fileDiff(
  change: FileChange,
  oldBytes: Buffer | undefined,
  newBytes: Buffer | undefined,
  context = 3,
): FileDiff {
  const { path, old: o, new: n } = change;
  let head = `diff --git a/${path} b/${path}\n`;
  if (!o) head += `new file mode ${n!.mode}\n`;
  else if (!n) head += `deleted file mode ${o.mode}\n`;
  else if (o.mode !== n.mode) head += `old mode ${o.mode}\nnew mode ${n.mode}\n`;
  const sameContent = o && n && o.oid === n.oid;
  if (!sameContent)
    head += `index ${short(o?.oid)}..${short(n?.oid)}${o && n && o.mode === n.mode ? ` ${o.mode}` : ''}\n`;
  const binary = (oldBytes !== undefined && isBinary(oldBytes)) || (newBytes !== undefined && isBinary(newBytes));
  const base = { ...change, binary, additions: 0, deletions: 0, hunks: [] as Hunk[] };
  if (sameContent) return { ...base, patch: head };
  const aName = o ? `a/${path}` : '/dev/null';
  const bName = n ? `b/${path}` : '/dev/null';
  if (binary) return { ...base, patch: `${head}Binary files ${aName} and ${bName} differ\n` };
  const { hunks, additions, deletions } = textHunks(oldBytes, newBytes, context);
  // An empty file added or removed has no hunks; git then prints no ---/+++ lines either.
  if (hunks.length === 0) return { ...base, patch: head };
  let text = `${head}--- ${aName}\n+++ ${bName}\n`;
  const oldLines = oldBytes ? oldBytes.toString('utf8').split('\n') : [];
  for (const h of hunks) {
    const section = funcLine(oldLines, h.oldLines === 0 ? h.oldStart - 1 : h.oldStart - 2);
    text += `@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@${section ? ' ' + section : ''}\n`;
    text += h.lines.join('\n') + '\n';
  }
  return { ...base, additions, deletions, hunks, patch: text };
}

/**
 * git's default hunk-header context: the nearest line above the hunk that starts with a letter, '_' or '$',
 * cut to 80 bytes and stripped of trailing space.
 */
function funcLine(lines: string[], from: number): string | undefined {
  for (let i = from; i >= 0; i--) {
    const line = lines[i]!;
    if (/^[A-Za-z_$]/.test(line)) return Buffer.from(line, 'utf8').subarray(0, 80).toString('utf8').trimEnd();
  }
  return undefined;
}

/** Line hunks between two texts, in git's numbering. */
export function textHunks(
  oldBytes: Buffer | undefined,
  newBytes: Buffer | undefined,
  context = 3,
): { hunks: Hunk[]; additions: number; deletions: number } {
  const oldText = oldBytes?.toString('utf8') ?? '';
  const newText = newBytes?.toString('utf8') ?? '';
  const patch = structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context });
  let additions = 0;
  let deletions = 0;
  const hunks: Hunk[] = patch.hunks.map((h) => {
    for (const l of h.lines) {
      if (l.startsWith('+')) additions++;
      else if (l.startsWith('-')) deletions++;
    }
    // git writes the line before an empty range (0 for an empty file); jsdiff writes the line after.
    return {
      oldStart: h.oldLines === 0 ? h.oldStart - 1 : h.oldStart,
      oldLines: h.oldLines,
      newStart: h.newLines === 0 ? h.newStart - 1 : h.newStart,
      newLines: h.newLines,
      lines: h.lines,
    };
  });
  return { hunks, additions, deletions };
}

/** Added and removed line counts only (for commit summaries). */
export function lineCounts(
  oldBytes: Buffer | undefined,
  newBytes: Buffer | undefined,
): { additions: number; deletions: number; binary: boolean } {
  if ((oldBytes && isBinary(oldBytes)) || (newBytes && isBinary(newBytes))) {
    return { additions: 0, deletions: 0, binary: true };
  }
  const { additions, deletions } = textHunks(oldBytes, newBytes, 0);
  return { additions, deletions, binary: false };
}
