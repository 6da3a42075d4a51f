/**
 * Three-way merge. Trees: a path changed on one side only takes that side; changed on both sides to the
 * same entry is fine; changed differently is merged line by line when all versions are text, else it is a
 * conflict. Lines: the classic diff3 — each side's edits as hunks over the base; hunks of the two sides
 * that overlap or touch form one region, which merges only if both sides produced the same lines.
 * Conflicts are reported, never resolved by picking a side.
 */
import { diffArrays } from 'diff';
import { isBinary, type Entry } from './objects';
import { sameEntry } from './worktree';
import { ancestors } from './validate';

export type ConflictReason =
  'content' | 'binary' | 'modify/delete' | 'delete/modify' | 'add/add' | 'mode' | 'directory/file';

export interface Conflict {
  path: string;
  reason: ConflictReason;
}

interface SideHunk {
  start: number;
  end: number;
  lines: string[];
}

/** Splits text into lines that keep their '\n', so a missing final newline is a difference like any other. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function hunksOf(base: string[], side: string[]): SideHunk[] {
  const out: SideHunk[] = [];
  let pos = 0;
  let current: SideHunk | undefined;
  for (const c of diffArrays(base, side)) {
    if (!c.added && !c.removed) {
      if (current) out.push(current);
      current = undefined;
      pos += c.count ?? c.value.length;
      continue;
    }
    current ??= { start: pos, end: pos, lines: [] };
    if (c.removed) {
      pos += c.value.length;
      current.end = pos;
    } else current.lines.push(...c.value);
  }
  if (current) out.push(current);
  return out;
}

function applyHunks(base: string[], hunks: SideHunk[], start: number, end: number): string[] {
  const out: string[] = [];
  let p = start;
  for (const h of hunks) {
    out.push(...base.slice(p, h.start), ...h.lines);
    p = h.end;
  }
  out.push(...base.slice(p, end));
  return out;
}

/** Merges texts; returns the result, or undefined when some region was changed differently on both sides. */
export function mergeText(base: string, ours: string, theirs: string): string | undefined {
  const b = splitLines(base);
  const a = hunksOf(b, splitLines(ours));
  const t = hunksOf(b, splitLines(theirs));
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < t.length) {
    const first = j >= t.length || (i < a.length && a[i]!.start <= t[j]!.start) ? a[i]! : t[j]!;
    let end = first.end;
    const groupA: SideHunk[] = [];
    const groupT: SideHunk[] = [];
    // Regions that overlap or touch conflict in git too: take hunks while they start at or before the end.
    for (;;) {
      if (i < a.length && a[i]!.start <= end) {
        end = Math.max(end, a[i]!.end);
        groupA.push(a[i++]!);
      } else if (j < t.length && t[j]!.start <= end) {
        end = Math.max(end, t[j]!.end);
        groupT.push(t[j++]!);
      } else break;
    }
    const start = first.start;
    out.push(...b.slice(pos, start));
    if (groupT.length === 0) out.push(...applyHunks(b, groupA, start, end));
    else if (groupA.length === 0) out.push(...applyHunks(b, groupT, start, end));
    else {
      const x = applyHunks(b, groupA, start, end);
      const y = applyHunks(b, groupT, start, end);
      if (x.length !== y.length || x.some((l, k) => l !== y[k])) return undefined;
      out.push(...x);
    }
    pos = end;
  }
  out.push(...b.slice(pos));
  return out.join('');
}

export interface MergeInput {
  base: Map<string, Entry>;
  ours: Map<string, Entry>;
  theirs: Map<string, Entry>;
  /** Paths whose entries differ between base and theirs (the only ones that can change ours). */
  theirChanges: Iterable<string>;
  read(oid: string): Promise<Buffer>;
  /** Stores merged content and returns its oid. */
  write(content: Buffer): string;
}

export interface MergeOutput {
  /** Changes to apply on top of ours. */
  changes: Map<string, Entry | null>;
  conflicts: Conflict[];
}

export async function mergeTrees(input: MergeInput): Promise<MergeOutput> {
  const { base, ours, theirs } = input;
  const changes = new Map<string, Entry | null>();
  const conflicts: Conflict[] = [];
  for (const path of input.theirChanges) {
    const b = base.get(path);
    const o = ours.get(path);
    const t = theirs.get(path);
    if (sameEntry(o, t) || sameEntry(b, t)) continue;
    if (sameEntry(b, o)) {
      changes.set(path, t ?? null);
      continue;
    }
    // Both sides changed this path, differently.
    if (!o || !t) {
      conflicts.push({ path, reason: o ? 'modify/delete' : 'delete/modify' });
      continue;
    }
    let mode = o.mode;
    if (o.mode !== t.mode) {
      if (b && o.mode === b.mode) mode = t.mode;
      else if (!(b && t.mode === b.mode)) {
        conflicts.push({ path, reason: 'mode' });
        continue;
      }
    }
    if (o.oid === t.oid) {
      changes.set(path, { oid: o.oid, mode });
      continue;
    }
    if (!b) {
      conflicts.push({ path, reason: 'add/add' });
      continue;
    }
    const [bb, ob, tb] = [await input.read(b.oid), await input.read(o.oid), await input.read(t.oid)];
    if (mode === '120000' || isBinary(bb) || isBinary(ob) || isBinary(tb)) {
      conflicts.push({ path, reason: 'binary' });
      continue;
    }
    const merged = mergeText(bb.toString('utf8'), ob.toString('utf8'), tb.toString('utf8'));
    if (merged === undefined) conflicts.push({ path, reason: 'content' });
    else changes.set(path, { oid: input.write(Buffer.from(merged, 'utf8')), mode });
  }
  // A file from one side where the other side has a directory (or the reverse) cannot both be kept.
  let oursDirs: Set<string> | undefined;
  for (const [path, e] of changes) {
    if (!e || ours.has(path)) continue;
    const fileAbove = ancestors(path).find((a) => a !== '' && (changes.has(a) ? changes.get(a) : ours.get(a)));
    if (fileAbove !== undefined) {
      conflicts.push({ path, reason: 'directory/file' });
      continue;
    }
    if (!oursDirs) {
      oursDirs = new Set();
      for (const p of ours.keys()) for (const a of ancestors(p)) oursDirs.add(a);
    }
    if (!oursDirs.has(path)) continue;
    for (const p of ours.keys()) {
      if (p.startsWith(path + '/') && changes.get(p) !== null) {
        conflicts.push({ path, reason: 'directory/file' });
        break;
      }
    }
  }
  conflicts.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return { changes, conflicts };
}
