/**
 * Ranges for findings. The Dockerfile frontend's ranges end on the last character (inclusive); findings
 * use the contract's convention (end just past it), like the definitions' diagnostics.
 */
import type { SourceRange } from '../../../src-shared/contract/definitions';
import type { Fix } from '../../../src-shared/contract/policy';
import type { SourceRange as DockerfileRange } from '../build/dockerfile';

export function fromDockerfile(r: DockerfileRange): SourceRange {
  return { start: { line: r.startLine, column: r.startColumn }, end: { line: r.endLine, column: r.endColumn + 1 } };
}

export function lineSpan(line: number, startColumn: number, length: number): SourceRange {
  return { start: { line, column: startColumn }, end: { line, column: startColumn + length } };
}

export interface Match {
  line: number;
  /** 1-based column of the match's start. */
  column: number;
  text: string;
  groups: Array<string | undefined>;
}

/** The first match of `pattern` on one of the lines from..to (1-based, inclusive); a match never spans lines. */
export function findOnLines(lines: readonly string[], from: number, to: number, pattern: RegExp): Match | undefined {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  for (let line = from; line <= Math.min(to, lines.length); line++) {
    const re = new RegExp(pattern.source, flags);
    const m = re.exec(lines[line - 1] ?? '');
    if (m) return { line, column: m.index + 1, text: m[0], groups: m.slice(1) };
  }
  return undefined;
}

/** Every match on the lines from..to. */
export function findAllOnLines(lines: readonly string[], from: number, to: number, pattern: RegExp): Match[] {
  const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
  const out: Match[] = [];
  for (let line = from; line <= Math.min(to, lines.length); line++) {
    const re = new RegExp(pattern.source, flags);
    for (let m = re.exec(lines[line - 1] ?? ''); m; m = re.exec(lines[line - 1] ?? '')) {
      out.push({ line, column: m.index + 1, text: m[0], groups: m.slice(1) });
      if (m[0] === '') re.lastIndex++;
    }
  }
  return out;
}

export function matchRange(m: Match): SourceRange {
  return lineSpan(m.line, m.column, Math.max(m.text.length, 1));
}

/** A fix that inserts `text` right after the match. */
export function insertAfter(m: Match, text: string, description: string): Fix {
  const at = { line: m.line, column: m.column + m.text.length };
  return { description, edits: [{ range: { start: at, end: at }, text }] };
}

export function replaceRange(range: SourceRange, text: string, description: string): Fix {
  return { description, edits: [{ range, text }] };
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Applies a fix's edits to text (edits must not overlap); for tests and a future `--fix`. */
export function applyFix(text: string, fix: Fix): string {
  const lines = splitLines(text);
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  const toOffset = (p: { line: number; column: number }) => (offsets[p.line - 1] ?? text.length) + p.column - 1;
  const edits = [...fix.edits].sort((a, b) => toOffset(b.range.start) - toOffset(a.range.start));
  let out = text.replace(/\r\n?/g, '\n');
  for (const e of edits) out = out.slice(0, toOffset(e.range.start)) + e.text + out.slice(toOffset(e.range.end));
  return out;
}
