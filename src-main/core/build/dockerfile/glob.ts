/**
 * Shell glob matching for `${V#p}`, `${V%p}` and `${V/p/r}`: `*`, `?`, bracket expressions (`[a-z]`,
 * `[!x]`, `[^x]`) and the Dockerfile's escape character quoting the next character. Unlike path globs,
 * `*` also matches `/`.
 */
export function globMatch(pattern: string, text: string, escape: string = '\\'): boolean {
  return matchFrom(Array.from(pattern), 0, Array.from(text), 0, escape);
}

function matchFrom(p: string[], pi: number, t: string[], ti: number, escape: string): boolean {
  while (pi < p.length) {
    const ch = p[pi] as string;
    if (ch === '*') {
      while (p[pi] === '*') pi++;
      if (pi === p.length) return true;
      for (let k = ti; k <= t.length; k++) if (matchFrom(p, pi, t, k, escape)) return true;
      return false;
    }
    if (ti >= t.length) return false;
    if (ch === '?') {
      pi++;
      ti++;
      continue;
    }
    if (ch === '[') {
      const bracket = matchBracket(p, pi, t[ti] as string, escape);
      if (bracket !== undefined) {
        if (!bracket.matched) return false;
        pi = bracket.next;
        ti++;
        continue;
      }
      // An unterminated bracket is a literal '['.
    }
    let literal = ch;
    if (ch === escape && pi + 1 < p.length) {
      pi++;
      literal = p[pi] as string;
    }
    if (literal !== t[ti]) return false;
    pi++;
    ti++;
  }
  return ti === t.length;
}

/** Returns undefined when the bracket expression is not closed (then `[` is literal). */
function matchBracket(
  p: string[],
  start: number,
  ch: string,
  escape: string,
): { matched: boolean; next: number } | undefined {
  let i = start + 1;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  let matched = false;
  let first = true;
  while (i < p.length) {
    let lo = p[i] as string;
    if (lo === ']' && !first) return { matched: matched !== negate, next: i + 1 };
    first = false;
    if (lo === escape && i + 1 < p.length) lo = p[++i] as string;
    let hi = lo;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      hi = p[i + 2] as string;
      if (hi === escape && i + 3 < p.length) {
        hi = p[i + 3] as string;
        i++;
      }
      i += 2;
    }
    if (lo <= ch && ch <= hi) matched = true;
    i++;
  }
  return undefined;
}
