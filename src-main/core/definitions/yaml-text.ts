/**
 * YAML files as the analysers need them: every document of a stream with its node tree (which keeps
 * source offsets), plain JS values, and syntax errors as located diagnostics. Parsing never throws.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Diagnostic, SourceRange } from '../../../src-shared/contract/definitions';

export interface YamlDoc {
  doc: Document.Parsed;
  /** The document as plain values; undefined when it has errors or cannot be converted. */
  value: unknown;
  index: number;
}

export interface YamlText {
  text: string;
  lines: LineCounter;
  docs: YamlDoc[];
  diagnostics: Diagnostic[];
}

/** Aliases expand when converted to JS; this bounds a "billion laughs" document. */
const MAX_ALIASES = 1000;

export function parseYaml(text: string): YamlText {
  const lines = new LineCounter();
  // Compose files share blocks with `<<: *anchor`, a YAML 1.1 merge key that YAML 1.2 leaves out by default.
  const parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  const docs: YamlDoc[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (pos: [number, number]): SourceRange => rangeOf(lines, pos[0], Math.max(pos[1], pos[0] + 1));
  if ('empty' in parsed) {
    // A stream of only comments or whitespace has no documents but may still hold errors.
    for (const e of parsed.errors) diagnostics.push(yamlDiagnostic('error', e.message, e.code, at(e.pos)));
    return { text, lines, docs, diagnostics };
  }
  parsed.forEach((doc, index) => {
    for (const e of doc.errors) diagnostics.push(yamlDiagnostic('error', e.message, e.code, at(e.pos)));
    for (const w of doc.warnings) diagnostics.push(yamlDiagnostic('warning', w.message, w.code, at(w.pos)));
    let value: unknown;
    if (doc.errors.length === 0) {
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIASES });
      } catch (err) {
        const pos: [number, number] = doc.contents?.range ? [doc.contents.range[0], doc.contents.range[1]] : [0, 1];
        diagnostics.push(yamlDiagnostic('error', (err as Error).message, 'ALIAS_LIMIT', at(pos)));
      }
    }
    docs.push({ doc, value, index });
  });
  return { text, lines, docs, diagnostics };
}

function yamlDiagnostic(
  severity: Diagnostic['severity'],
  message: string,
  code: string,
  range: SourceRange,
): Diagnostic {
  // The yaml package appends " at line L, column C" plus a source excerpt; the range already says where.
  const clean = message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();
  return { severity, message: clean, range, rule: `yaml/${code.toLowerCase().replace(/_/g, '-')}`, source: 'yaml' };
}

/** Offsets (end exclusive) to a 1-based range whose end is just past the last character. */
export function rangeOf(lines: LineCounter, start: number, end: number): SourceRange {
  const a = lines.linePos(start);
  const b = lines.linePos(Math.max(end, start));
  return { start: { line: a.line, column: a.col }, end: { line: b.line, column: b.col } };
}

export function nodeRange(y: YamlText, node: Node | null | undefined): SourceRange {
  const r = node?.range;
  if (!r) return rangeOf(y.lines, 0, Math.min(1, y.text.length));
  return rangeOf(y.lines, r[0], r[1]);
}

export interface Located {
  /** The node at the path, if any. */
  node: Node | undefined;
  /** The key of the pair holding it, when it is a map value: a short, readable place to point at. */
  key: Node | undefined;
  /** The deepest node found along the path (the whole path may not exist). */
  nearest: Node | undefined;
}

/** Walks map keys and sequence indexes from a document's root. */
export function locate(doc: Document.Parsed, path: ReadonlyArray<string | number>): Located {
  let node: Node | undefined = doc.contents ?? undefined;
  let key: Node | undefined;
  let nearest = node;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(step));
      if (!pair) return { node: undefined, key: undefined, nearest };
      key = (pair.key as Node | null) ?? undefined;
      node = (pair.value as Node | null) ?? undefined;
      nearest = node ?? key;
    } else if (isSeq(node) && /^\d+$/.test(String(step))) {
      const item = node.items[Number(step)] as Node | undefined;
      if (!item) return { node: undefined, key: undefined, nearest };
      key = undefined;
      node = item;
      nearest = node;
    } else return { node: undefined, key: undefined, nearest };
  }
  return { node, key, nearest };
}

export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** A range for a path: the key when the value is a map entry, else the node, else the nearest ancestor. */
export function pathRange(y: YamlText, doc: Document.Parsed, path: ReadonlyArray<string | number>): SourceRange {
  const found = locate(doc, path);
  return nodeRange(y, found.key ?? found.node ?? found.nearest);
}

// --- plain-value helpers: YAML values are `unknown` until checked ---------------------------------------

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

export function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map(str).filter((s): s is string => s !== null);
}
