/**
 * Text → instruction nodes, with no instruction semantics: parser directives, comments, line continuations
 * (skipping comment and empty lines inside them, as Docker does), heredoc bodies, and each node's range and
 * original text. Mirrors the role of BuildKit's `parser` package.
 */
import { type DockerfileWarning, lineRange, problem } from './problems';
import { type EscapeChar, noEnv, processWords } from './shell-lexer';
import type { DockerfileProblem, SourceRange } from './types';
import { extractFlags, parseJsonArray, type RawFlag } from './words';

export interface RawHeredoc {
  name: string;
  /** Body lines, each followed by a newline, exactly as written (tabs not yet stripped). */
  content: string;
  expand: boolean;
  chomp: boolean;
}

export interface PhysicalLine {
  line: number;
  text: string;
}

export interface AstNode {
  /** Lower-cased instruction name. */
  keyword: string;
  keywordText: string;
  flags: RawFlag[];
  /** The arguments after the flags, trimmed. */
  rest: string;
  heredocs: RawHeredoc[];
  range: SourceRange;
  /** The logical line (continuations joined) followed by any heredoc bodies and terminators. */
  original: string;
  lines: PhysicalLine[];
}

export interface AstResult {
  directives: Record<string, string>;
  escape: EscapeChar;
  nodes: AstNode[];
  problems: DockerfileProblem[];
  warnings: DockerfileWarning[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_INSTRUCTIONS = new Set(['run', 'copy', 'add']);
const HEREDOC_WORD = /^(\d*)<<(-?)(.*)$/s;

const isCommentLine = (text: string): boolean => text.trim().startsWith('#');
const isBlank = (text: string): boolean => text.trim() === '';

export interface AstOptions {
  /** Used when re-parsing a single instruction (ONBUILD triggers): no directives are read. */
  escape?: EscapeChar;
  lineOffset?: number;
}

export function parseAst(text: string, options: AstOptions = {}): AstResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const directives: Record<string, string> = {};
  const problems: DockerfileProblem[] = [];
  const warnings: DockerfileWarning[] = [];
  const offset = options.lineOffset ?? 0;
  let escape: EscapeChar = options.escape ?? '\\';
  let readingDirectives = options.escape === undefined;
  const nodes: AstNode[] = [];
  const at = (index: number): PhysicalLine => ({ line: index + 1 + offset, text: lines[index] ?? '' });

  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trimEnd();
    if (readingDirectives) {
      const match = DIRECTIVE.exec(raw.trimStart());
      const key = match?.[1]?.toLowerCase();
      if (match && key !== undefined && KNOWN_DIRECTIVES.has(key)) {
        const value = match[2] as string;
        const range = lineRange(i + 1 + offset, raw);
        if (key in directives) {
          problems.push(problem('DOCKERFILE_SYNTAX', `only one ${key} parser directive can be used`, range));
        } else if (key === 'escape' && value !== '\\' && value !== '`') {
          problems.push(
            problem('DOCKERFILE_SYNTAX', `invalid escape token '${value}' does not match ` + '` or \\', range),
          );
        } else {
          directives[key] = value;
          if (key === 'escape') escape = value as EscapeChar;
        }
        continue;
      }
      readingDirectives = false;
    }
    if (isBlank(raw) || isCommentLine(raw)) continue;

    const physical: PhysicalLine[] = [at(i)];
    let logical = raw.trimStart();
    let continued = endsWithEscape(logical, escape);
    if (continued) logical = stripEscape(logical, escape);
    let emptyContinuation = false;
    while (continued && i + 1 < lines.length) {
      i++;
      const next = (lines[i] as string).trimEnd();
      physical.push(at(i));
      if (isCommentLine(next)) continue;
      if (isBlank(next)) {
        emptyContinuation = true;
        continue;
      }
      continued = endsWithEscape(next, escape);
      logical += continued ? stripEscape(next, escape) : next;
    }
    // A continuation with nothing after it (a lone escape at the end of the file) is no instruction.
    if (logical.trim() === '') continue;
    const keywordMatch = /^(\S+)\s*(.*)$/s.exec(logical.trim()) as RegExpExecArray;
    const keywordText = keywordMatch[1] as string;
    const keyword = keywordText.toLowerCase();
    const { flags, rest } = extractFlags(keywordMatch[2] as string);

    const heredocs: RawHeredoc[] = [];
    let original = logical.trim();
    if (acceptsHeredocs(keyword, rest) && logical.includes('<<')) {
      for (const marker of findHeredocMarkers(logical, escape)) {
        let content = '';
        let terminated = false;
        const body: string[] = [];
        while (i + 1 < lines.length) {
          i++;
          const bodyLine = lines[i] as string;
          physical.push(at(i));
          body.push(bodyLine);
          const candidate = marker.chomp ? bodyLine.trimEnd().replace(/^\t+/, '') : bodyLine.trimEnd();
          if (candidate === marker.name) {
            terminated = true;
            break;
          }
          content += bodyLine + '\n';
        }
        original += '\n' + body.join('\n');
        if (!terminated) {
          const first = physical[0] as PhysicalLine;
          const last = physical[physical.length - 1] as PhysicalLine;
          problems.push(
            problem('DOCKERFILE_SYNTAX', `unterminated heredoc ${marker.name}`, {
              startLine: first.line,
              startColumn: 1,
              endLine: last.line,
              endColumn: Math.max(last.text.length, 1),
            }),
          );
        }
        heredocs.push({ ...marker, content });
      }
    }
    const first = physical[0] as PhysicalLine;
    const last = physical[physical.length - 1] as PhysicalLine;
    const range: SourceRange = {
      startLine: first.line,
      startColumn: lineRange(first.line, first.text).startColumn,
      endLine: last.line,
      endColumn: Math.max(last.text.trimEnd().length, 1),
    };
    if (emptyContinuation) {
      warnings.push({ rule: 'NoEmptyContinuation', message: 'Empty continuation line', range });
    }
    nodes.push({ keyword, keywordText, flags, rest: rest.trim(), heredocs, range, original, lines: physical });
  }
  return { directives, escape, nodes, problems, warnings };
}

/** Docker treats any line ending in the escape character as continued, even an escaped escape. */
function endsWithEscape(line: string, escape: string): boolean {
  return line.trimEnd().endsWith(escape);
}

function stripEscape(line: string, escape: string): string {
  const trimmed = line.trimEnd();
  return trimmed.slice(0, trimmed.length - escape.length);
}

function acceptsHeredocs(keyword: string, rest: string): boolean {
  if (keyword === 'onbuild') {
    const inner = /^(\S+)\s*(.*)$/s.exec(rest);
    if (!inner) return false;
    return acceptsHeredocs((inner[1] as string).toLowerCase(), extractFlags(inner[2] as string).rest);
  }
  return HEREDOC_INSTRUCTIONS.has(keyword) && !parseJsonArray(rest).ok;
}

/** Heredoc markers on the line, in order: `<<EOF`, `<<-EOF`, `<<"EOF"`, `2<<EOF`; quoting disables expansion. */
export function findHeredocMarkers(line: string, escape: EscapeChar): Array<Omit<RawHeredoc, 'content'>> {
  let words: string[];
  try {
    words = processWords(line, noEnv, { escape, rawQuotes: true, rawEscapes: true });
  } catch {
    return [];
  }
  const markers: Array<Omit<RawHeredoc, 'content'>> = [];
  for (const word of words) {
    const marker = parseHeredocMarker(word, escape);
    if (marker) markers.push(marker);
  }
  return markers;
}

export function parseHeredocMarker(word: string, escape: EscapeChar): Omit<RawHeredoc, 'content'> | undefined {
  const match = HEREDOC_WORD.exec(word);
  if (!match) return undefined;
  const delimiter = match[3] as string;
  if (delimiter === '' || delimiter.includes('<')) return undefined;
  let unquoted: string[];
  try {
    unquoted = processWords(delimiter, noEnv, { escape });
  } catch {
    return undefined;
  }
  if (unquoted.length !== 1) return undefined;
  const name = unquoted[0] as string;
  return { name, expand: name === delimiter, chomp: match[2] === '-' };
}
