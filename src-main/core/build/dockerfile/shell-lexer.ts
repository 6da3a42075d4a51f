/**
 * Variable substitution as the Dockerfile reference defines it and as BuildKit's shell lexer behaves: `$V`,
 * `${V}`, `${V-w}`, `${V:-w}`, `${V+w}`, `${V:+w}`, `${V?w}`, `${V:?w}`, `${V#p}`, `${V##p}`, `${V%p}`,
 * `${V%%p}`, `${V/p/r}`, `${V//p/r}`, quotes and the escape character. This is not a shell: no command
 * substitution, arithmetic or field splitting beyond what the Dockerfile needs.
 */
import { globMatch } from './glob';

export type EscapeChar = '\\' | '`';

export interface LexOptions {
  escape?: EscapeChar;
  /** Quotes are ordinary characters (SHELL-less raw words such as heredoc bodies). */
  skipProcessQuotes?: boolean;
  /** Quotes group as usual but stay in the output (used to find heredoc markers). */
  rawQuotes?: boolean;
  /** Escape characters stay in the output (used to find heredoc markers such as `<<\\EOF`). */
  rawEscapes?: boolean;
}

/** A name → value lookup; undefined means unset (which differs from empty for `-`, `+` and `?`). */
export type EnvLookup = (name: string) => string | undefined;

export interface WordResult {
  value: string;
  /** The result split into words the way the shell would (quoted parts and escapes keep spaces). */
  words: string[];
  /** Variables that were referenced and set. */
  matched: Set<string>;
  /** Variables referenced without a fallback (`$V`, `${V}`, `${V#p}`…) that were unset. */
  unmatched: Set<string>;
}

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError';
}

const isSpace = (ch: string): boolean => /^\s$/u.test(ch);
const isNameChar = (ch: string): boolean => /^[\p{L}\p{N}_]$/u.test(ch);
const isDigit = (ch: string): boolean => /^\p{Nd}$/u.test(ch);
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

/** Collects shell words: unquoted whitespace separates, quoted text and escaped characters never do. */
class Words {
  private current = '';
  private inWord = false;
  readonly done: string[] = [];

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.current !== '') {
        this.done.push(this.current);
        this.current = '';
        this.inWord = false;
      }
    } else {
      this.addRaw(ch);
    }
  }
  addRaw(text: string): void {
    this.current += text;
    this.inWord = true;
  }
  addExpanded(text: string): void {
    for (const ch of text) this.addChar(ch);
  }
  finish(): string[] {
    if (this.current !== '') this.done.push(this.current);
    this.current = '';
    this.inWord = false;
    return this.done;
  }
}

class Lexer {
  private readonly chars: string[];
  private pos = 0;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();

  constructor(
    text: string,
    private readonly env: EnvLookup,
    private readonly escape: EscapeChar,
    private readonly opts: LexOptions,
  ) {
    this.chars = Array.from(text);
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }
  private next(): string | undefined {
    return this.chars[this.pos++];
  }

  /** `plain` references (`$V`, `${V}`) count as unmatched when unset; ones with a fallback never do. */
  private lookup(name: string, plain: boolean): string | undefined {
    const value = this.env(name);
    if (value !== undefined) this.matched.add(name);
    else if (plain) this.unmatched.add(name);
    return value;
  }

  /** Reads up to `stop` (consumed) or the end; `rawEscapes` keeps escape characters for glob patterns. */
  run(stop: string | undefined, rawEscapes: boolean): { text: string; words: string[] } {
    let text = '';
    const words = new Words();
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stop !== undefined && ch === stop) {
        this.next();
        return { text, words: words.finish() };
      }
      if (ch === '$') {
        const value = this.dollar();
        text += value;
        words.addExpanded(value);
      } else if (!this.opts.skipProcessQuotes && (ch === "'" || ch === '"')) {
        const value = ch === "'" ? this.singleQuoted() : this.doubleQuoted();
        text += value;
        words.addRaw(value);
      } else {
        this.next();
        if (ch === this.escape) {
          if (rawEscapes) {
            text += ch;
            words.addRaw(ch);
          }
          const escaped = this.next();
          if (escaped === undefined) break;
          text += escaped;
          words.addRaw(escaped);
        } else {
          text += ch;
          words.addChar(ch);
        }
      }
    }
    if (stop !== undefined)
      throw new ShellSyntaxError(`unexpected end of statement while looking for matching ${stop}`);
    return { text, words: words.finish() };
  }

  private singleQuoted(): string {
    this.next();
    let text = '';
    for (;;) {
      const ch = this.next();
      if (ch === undefined)
        throw new ShellSyntaxError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") break;
      text += ch;
    }
    return this.opts.rawQuotes ? `'${text}'` : text;
  }

  private doubleQuoted(): string {
    this.next();
    let text = '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined)
        throw new ShellSyntaxError('unexpected end of statement while looking for matching double-quote');
      if (ch === '"') {
        this.next();
        break;
      }
      if (ch === '$') {
        text += this.dollar();
        continue;
      }
      this.next();
      if (ch === this.escape) {
        const following = this.peek();
        if (following === undefined) continue;
        // Only these can be escaped inside double quotes; other escape characters stay literally.
        if (following === '"' || following === '$' || following === this.escape) {
          if (this.opts.rawQuotes) text += ch;
          text += following;
          this.next();
          continue;
        }
      }
      text += ch;
    }
    return this.opts.rawQuotes ? `"${text}"` : text;
  }

  private name(): string {
    let name = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (name === '' && isDigit(ch)) {
        while (this.peek() !== undefined && isDigit(this.peek() as string)) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) return this.next() as string;
      if (!isNameChar(ch)) break;
      name += this.next();
    }
    return name;
  }

  private dollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.name();
      if (name === '') return '$';
      return this.lookup(name, true) ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new ShellSyntaxError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new ShellSyntaxError('syntax error: bad substitution');
    const name = this.name();
    const op = this.next();
    if (op === undefined) throw new ShellSyntaxError("syntax error: missing '}'");
    if (op === '}') return this.lookup(name, true) ?? '';
    if (op === '/') return this.replace(name);
    let modifier = op;
    let nullIsUnset = false;
    if (op === ':') {
      nullIsUnset = true;
      modifier = this.next() ?? '';
    }
    if (!['+', '-', '?', '#', '%'].includes(modifier)) {
      throw new ShellSyntaxError(`unsupported modifier (${nullIsUnset ? ':' : ''}${modifier}) in substitution`);
    }
    const isPattern = modifier === '#' || modifier === '%';
    if (nullIsUnset && isPattern) throw new ShellSyntaxError(`unsupported modifier (:${modifier}) in substitution`);
    let word: string;
    try {
      word = this.run('}', isPattern).text;
    } catch (error) {
      if (this.peek() === undefined) throw new ShellSyntaxError("syntax error: missing '}'");
      throw error;
    }
    const value = this.lookup(name, isPattern);
    const absent = value === undefined || (nullIsUnset && value === '');
    switch (modifier) {
      case '-':
        return absent ? word : (value as string);
      case '+':
        return absent ? '' : word;
      case '?':
        if (value === undefined) throw new ShellSyntaxError(`${name}: ${word || 'is not allowed to be unset'}`);
        if (absent) throw new ShellSyntaxError(`${name}: ${word || 'is not allowed to be empty'}`);
        return value;
      default: {
        const greedy = word.startsWith(modifier);
        const pattern = greedy ? word.slice(1) : word;
        return modifier === '#'
          ? trimPrefix(value ?? '', pattern, greedy, this.escape)
          : trimSuffix(value ?? '', pattern, greedy, this.escape);
      }
    }
  }

  private replace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    const pattern = this.run('/', true).text;
    const replacement = this.run('}', true).text;
    const value = this.lookup(name, true) ?? '';
    return replaceMatches(value, pattern, replacement, all, this.escape);
  }
}

function trimPrefix(value: string, pattern: string, greedy: boolean, escape: EscapeChar): string {
  const chars = Array.from(value);
  for (let i = 0; i <= chars.length; i++) {
    const end = greedy ? chars.length - i : i;
    if (globMatch(pattern, chars.slice(0, end).join(''), escape)) return chars.slice(end).join('');
  }
  return value;
}

function trimSuffix(value: string, pattern: string, greedy: boolean, escape: EscapeChar): string {
  const chars = Array.from(value);
  for (let i = 0; i <= chars.length; i++) {
    const start = greedy ? i : chars.length - i;
    if (globMatch(pattern, chars.slice(start).join(''), escape)) return chars.slice(0, start).join('');
  }
  return value;
}

/** `${V/p/r}`: the leftmost, longest non-empty match of the glob is replaced; `//` replaces every match. */
function replaceMatches(value: string, pattern: string, replacement: string, all: boolean, escape: EscapeChar): string {
  const chars = Array.from(value);
  let out = '';
  let i = 0;
  let replaced = false;
  while (i < chars.length) {
    let matchEnd = -1;
    if (all || !replaced) {
      for (let end = chars.length; end > i; end--) {
        if (globMatch(pattern, chars.slice(i, end).join(''), escape)) {
          matchEnd = end;
          break;
        }
      }
    }
    if (matchEnd < 0) {
      out += chars[i];
      i++;
    } else {
      out += replacement;
      replaced = true;
      i = matchEnd;
    }
  }
  return out;
}

/** Expands one word: quotes removed, escapes applied, variables substituted. */
export function processWord(word: string, env: EnvLookup, opts: LexOptions = {}): WordResult {
  const lexer = new Lexer(word, env, opts.escape ?? '\\', opts);
  const { text, words } = lexer.run(undefined, opts.rawEscapes ?? false);
  return { value: text, words, matched: lexer.matched, unmatched: lexer.unmatched };
}

/** Expands and splits into words, as for a whole shell-like line. */
export function processWords(line: string, env: EnvLookup, opts: LexOptions = {}): string[] {
  return processWord(line, env, opts).words;
}

export const noEnv: EnvLookup = () => undefined;

export function envFromRecord(record: Readonly<Record<string, string>>): EnvLookup {
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);
}
