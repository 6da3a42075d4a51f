/**
 * Path patterns as Docker matches them (moby/patternmatcher): Go's filepath.Match per character class —
 * `*` and `?` never cross `/`, `[a-z]`/`[^a-z]` classes, `\` escapes — plus `**`, which spans any number of
 * directories (including none). Patterns are anchored at both ends.
 */

export class PatternError extends Error {
  override name = 'PatternError';
}

export function compilePattern(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        while (pattern[i + 1] === '*') i++;
        if (pattern[i + 1] === '/') {
          // `**/` may match nothing at all, so `**/a` matches `a`.
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) throw new PatternError(`syntax error in pattern: ${pattern}`);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\(.)/g, (_, c: string) => '\\' + c).replace(/\]/g, '\\]') + ']';
      i = end;
    } else if (ch === '\\') {
      if (i + 1 >= pattern.length) throw new PatternError(`syntax error in pattern: ${pattern}`);
      re += escapeRegExp(pattern[++i] as string);
    } else {
      re += escapeRegExp(ch);
    }
  }
  return new RegExp(re + '$', 's');
}

function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^' || pattern[i] === '!') i++;
  if (pattern[i] === ']') return -1;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function hasWildcard(path: string): boolean {
  return /[*?[\\]/.test(path);
}

/** path.Clean for `/`-separated paths, without a leading `/` when relative. */
export function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (absolute) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** The path or any of its parent directories matches, as Docker applies exclusion patterns. */
export function matchesOrParent(re: RegExp, path: string): boolean {
  if (re.test(path)) return true;
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) if (re.test(parts.slice(0, i).join('/'))) return true;
  return false;
}
