/**
 * Splitting an instruction's text into words before any expansion: the leading `--flags`, JSON arrays, and
 * quote-aware words that keep their quotes (expansion removes them later, per instruction).
 */

const SPACE = /\s/u;
/** Docker splits FROM/EXPOSE/COPY arguments on these only (not on newlines, which cannot occur here). */
const FIELD_SEPARATOR = /[\t\v\f\r ]+/;

export function splitFields(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(FIELD_SEPARATOR);
}

/** Splits `rest` once at the first run of whitespace, as `KEY value with spaces`. */
export function splitOnce(text: string): [string, string] | [string] {
  const match = FIELD_SEPARATOR.exec(text);
  if (!match) return [text];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

/**
 * Words separated by unquoted whitespace; quotes and escapes are kept in the word so that expansion can
 * honour them later. Inside single quotes the escape character is an ordinary character.
 */
export function splitQuotedWords(text: string, escape: string): string[] {
  const words: string[] = [];
  const chars = Array.from(text);
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (quote === undefined && SPACE.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (quote === undefined && (ch === "'" || ch === '"')) {
      quote = ch;
    } else if (quote !== undefined && ch === quote) {
      quote = undefined;
    } else if (ch === escape && quote !== "'") {
      // An escape at the very end of the text is dropped; otherwise it travels with the escaped character.
      if (i + 1 === chars.length) continue;
      word += ch;
      word += chars[++i] as string;
      continue;
    }
    word += ch;
  }
  if (inWord) words.push(word);
  return words;
}

export interface RawFlag {
  /** The flag's text as written, e.g. `--mount=type=cache,target=/x`. */
  text: string;
  name: string;
  /** Undefined for a bare `--flag`. */
  value?: string;
}

/**
 * Takes the leading `--name[=value]` words off an instruction's arguments. Quotes group and are removed, and
 * `\` escapes the next character, as in BuildKit (whatever the escape directive says). A lone `--` ends
 * the flags.
 */
export function extractFlags(text: string): { flags: RawFlag[]; rest: string } {
  const flags: RawFlag[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && SPACE.test(text[pos] as string)) pos++;
    if (!text.startsWith('--', pos)) return { flags, rest: text.slice(pos) };
    let word = '';
    let quote: string | undefined;
    const start = pos;
    for (; pos < text.length; pos++) {
      const ch = text[pos] as string;
      if (quote === undefined && SPACE.test(ch)) break;
      if (quote === undefined && (ch === "'" || ch === '"')) quote = ch;
      else if (quote !== undefined && ch === quote) quote = undefined;
      else if (ch === '\\') {
        if (pos + 1 < text.length) word += text[++pos];
      } else word += ch;
    }
    if (word === '--') return { flags, rest: text.slice(pos).trimStart() };
    const body = word.slice(2);
    const eq = body.indexOf('=');
    const flag: RawFlag =
      eq < 0
        ? { text: text.slice(start, pos), name: body }
        : { text: text.slice(start, pos), name: body.slice(0, eq), value: body.slice(eq + 1) };
    flags.push(flag);
  }
}

export type JsonArray = { ok: true; values: string[] } | { ok: false; notStrings: boolean };

/**
 * Exec form: a JSON array of strings. Anything that is not a JSON array falls back to shell form, but an
 * array holding non-strings is an error, as in Docker.
 */
export function parseJsonArray(text: string): JsonArray {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('[')) return { ok: false, notStrings: false };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { ok: false, notStrings: false };
  }
  if (!Array.isArray(value)) return { ok: false, notStrings: false };
  if (!value.every((item): item is string => typeof item === 'string')) return { ok: false, notStrings: true };
  return { ok: true, values: value };
}
