/**
 * Where a cursor is in a block-style YAML file, read from indentation rather than from a parse tree: while
 * a key is half typed the document is usually invalid (`image` alone under a service is a scalar, not a
 * key), and a parser then gives no tree to place the cursor in. Paths are map keys and, for sequence items,
 * the number 0 (the item's index does not matter to a schema). Flow style (`{…}`, `[…]`) is not followed.
 */

export type YamlStep = string | number;
export const ITEM = 0;

/** 0-based column range on one 1-based line. */
export interface LineSpan {
  line: number;
  start: number;
  end: number;
}

export type CursorPlace =
  /** A key is being typed (maybe empty) in the map at `path`. `inItem`: the map opens a sequence item. */
  | { kind: 'key'; path: YamlStep[]; prefix: string; span: LineSpan; inItem: boolean; present: string[] }
  /** The value of the key ending `path` is being typed on the key's line. */
  | { kind: 'value'; path: YamlStep[]; prefix: string; span: LineSpan };

interface Entry {
  col: number;
  kind: 'dash' | 'key';
  name: string;
  /** A key whose value continues on the following lines (nothing, a comment, an anchor or a tag follows). */
  open: boolean;
}

const KEY = /^("([^"]*)"|'([^']*)'|[^\s#:"'{}[\],&*!|>-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?=[ \t]|$)/;
/** What may follow `key:` for its value to be on the next lines: an anchor, a tag, a comment. */
const OPEN_VALUE = /^[ \t]*(?:(?:&\S+|!\S*)[ \t]*)*(?:#.*)?$/;

/** A line as the dashes and the key it starts with; empty for blank lines and comments. */
export function entriesOf(line: string): Entry[] {
  const entries: Entry[] = [];
  let col = line.length - line.trimStart().length;
  let rest = line.slice(col);
  if (rest === '' || rest.startsWith('#')) return entries;
  for (let dash = /^-(?:[ \t]+|$)/.exec(rest); dash; dash = /^-(?:[ \t]+|$)/.exec(rest)) {
    entries.push({ col, kind: 'dash', name: '-', open: true });
    col += dash[0].length;
    rest = rest.slice(dash[0].length);
  }
  const key = KEY.exec(rest);
  if (key) {
    const name = key[2] ?? key[3] ?? key[1]!;
    entries.push({ col, kind: 'key', name, open: OPEN_VALUE.test(rest.slice(key[0].length)) });
  } else if (rest !== '' && !rest.startsWith('#')) {
    // A scalar (a sequence item's value, or a plain scalar's continuation): something that holds no children.
    entries.push({ col, kind: 'key', name: '', open: false });
  }
  return entries;
}

/**
 * The path of the node that starts at `col` on line `index` (0-based), from the lines above it: the nearest
 * line starting left of it holds its parent. `dash`: the node is a sequence item, which may sit at the same
 * column as its parent key (`ports:` then `- 80`). Null when the parent cannot hold it.
 */
export function pathOf(lines: readonly string[], index: number, col: number, dash: boolean): YamlStep[] | null {
  for (let i = index - 1; i >= 0; i--) {
    const entries = entriesOf(lines[i]!);
    const first = entries[0];
    if (!first || first.col > col) continue;
    if (first.col === col) {
      if (dash && first.kind === 'key' && first.open) return withPrefix(lines, i, entries, entries.length - 1);
      continue; // a sibling
    }
    let last = -1;
    entries.forEach((e, n) => {
      if (e.col < col) last = n;
    });
    const parent = entries[last]!;
    if (parent.kind === 'key' && !parent.open) return null;
    return withPrefix(lines, i, entries, last);
  }
  return [];
}

/** The path down to entries[upTo] of line i: the path of the line's first entry, then one step per entry. */
function withPrefix(lines: readonly string[], i: number, entries: Entry[], upTo: number): YamlStep[] | null {
  const first = entries[0]!;
  const above = pathOf(lines, i, first.col, first.kind === 'dash');
  if (!above) return null;
  const steps = entries.slice(0, upTo + 1).map((e) => (e.kind === 'dash' ? ITEM : e.name));
  return [...above, ...steps];
}

const TYPING_KEY = /^([ \t]*)((?:-[ \t]+)*)((?:[\w.][\w.-]*)?)$/;
const TYPING_VALUE = /^([ \t]*)((?:-[ \t]+)*)(.+?)[ \t]*:[ \t]+([\w.+-]*)$/;

/** What is being typed at a 1-based line and column. */
export function cursorPlace(text: string, line: number, column: number): CursorPlace | null {
  const lines = text.split(/\r?\n/);
  const current = lines[line - 1];
  if (current === undefined) return null;
  const before = current.slice(0, column - 1);
  const index = line - 1;
  const typingKey = TYPING_KEY.exec(before);
  if (typingKey) {
    const [, indent, dashes, prefix] = typingKey as unknown as [string, string, string, string];
    const items = dashes.match(/-/g)?.length ?? 0;
    const above = pathOf(lines, index, indent.length, items > 0);
    if (!above) return null;
    const start = before.length - prefix.length;
    const span = { line, start, end: start + wordLength(current, start) };
    const path = [...above, ...Array<number>(items).fill(ITEM)];
    const present = siblingKeys(lines, index, before.length - prefix.length);
    return { kind: 'key', path, prefix, span, inItem: items > 0, present };
  }
  const typingValue = TYPING_VALUE.exec(before);
  if (typingValue) {
    const entries = entriesOf(current);
    const keyAt = entries.findIndex((e) => e.kind === 'key');
    const key = entries[keyAt];
    if (!key || key.name === '') return null;
    const path = withPrefix(lines, index, entries, keyAt);
    if (!path) return null;
    const prefix = typingValue[4]!;
    const start = before.length - prefix.length;
    return { kind: 'value', path, prefix, span: { line, start, end: start + wordLength(current, start) } };
  }
  return null;
}

/** The key under a 1-based line and column, with its path (ending in the key) and where it is written. */
export function keyAt(text: string, line: number, column: number): { path: YamlStep[]; span: LineSpan } | null {
  const lines = text.split(/\r?\n/);
  const current = lines[line - 1];
  if (current === undefined) return null;
  const entries = entriesOf(current);
  const at = entries.findIndex((e) => e.kind === 'key' && e.name !== '');
  const key = entries[at];
  if (!key) return null;
  // A quoted key is written with its quotes; the span covers what is on the line.
  const written = /^["']/.test(current.slice(key.col)) ? key.name.length + 2 : key.name.length;
  if (column - 1 < key.col || column - 1 >= key.col + written) return null;
  const path = withPrefix(lines, line - 1, entries, at);
  return path ? { path, span: { line, start: key.col, end: key.col + written } } : null;
}

/** The other keys of the map whose keys start at `col`, around line `index`. */
function siblingKeys(lines: readonly string[], index: number, col: number): string[] {
  const keys: string[] = [];
  const keyOf = (entries: Entry[]) => entries.find((e) => e.kind === 'key' && e.col === col && e.name !== '');
  for (let i = index - 1; i >= 0; i--) {
    const entries = entriesOf(lines[i]!);
    if (entries.length === 0) continue;
    const key = keyOf(entries);
    if (key) keys.push(key.name);
    // The line that starts left of the map opens it (`- name: x` starts an item's map) and is the last one.
    if (entries[0]!.col < col) break;
  }
  for (let i = index + 1; i < lines.length; i++) {
    const entries = entriesOf(lines[i]!);
    if (entries.length === 0) continue;
    if (entries[0]!.col < col) break;
    const key = keyOf(entries);
    if (key) keys.push(key.name);
  }
  return keys;
}

function wordLength(line: string, start: number): number {
  return /^[\w.-]*/.exec(line.slice(start))![0].length;
}
