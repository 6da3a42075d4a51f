/**
 * `.dockerignore`: which context paths the build never sees. Docker's rules: `#` lines are comments, each
 * pattern is trimmed and cleaned (a leading `/` or `./` is dropped), `!` makes an exception, and the LAST
 * pattern that matches a path — or any of its parent directories — decides. So excluding a directory
 * excludes everything under it, and a later `!dir/file` brings one file back.
 */
import { cleanPath, compilePattern, matchesOrParent } from './pattern';

export interface IgnorePattern {
  /** The cleaned pattern, without its `!`. */
  pattern: string;
  exception: boolean;
  /** 1-based line in the ignore file. */
  line: number;
  regexp: RegExp;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const patterns: IgnorePattern[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (raw.startsWith('#')) return;
      let pattern = raw.trim();
      if (pattern === '') return;
      const exception = pattern.startsWith('!');
      if (exception) pattern = pattern.slice(1).trim();
      if (pattern !== '') {
        pattern = cleanPath(pattern);
        if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
      }
      patterns.push({ pattern, exception, line: index + 1, regexp: compilePattern(pattern) });
    });
  return patterns;
}

export class IgnoreMatcher {
  constructor(readonly patterns: readonly IgnorePattern[]) {}

  static fromText(text: string): IgnoreMatcher {
    return new IgnoreMatcher(parseDockerignore(text));
  }

  /** Whether `path` (relative to the context root, `/`-separated) is excluded from the context. */
  ignores(path: string): boolean {
    const clean = cleanPath(path.replace(/^\/+/, ''));
    let ignored = false;
    for (const { exception, regexp } of this.patterns) {
      // Only a pattern that could change the answer needs testing.
      if (exception !== ignored) continue;
      if (matchesOrParent(regexp, clean)) ignored = !exception;
    }
    return ignored;
  }

  /**
   * Whether a walk must still enter an ignored directory because an exception may re-include something
   * beneath it (Docker's walker does the same check).
   */
  mayIncludeUnder(dir: string): boolean {
    const prefix = cleanPath(dir) + '/';
    return this.patterns.some(
      ({ exception, pattern }) =>
        exception && (pattern.startsWith(prefix) || !pattern.includes('/') || pattern.includes('**')),
    );
  }
}

/**
 * Which ignore file applies: `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's
 * `.dockerignore`. `dockerfile` is the Dockerfile's path relative to the context root.
 */
export function chooseIgnoreFile(dockerfile: string, exists: (path: string) => boolean): string | undefined {
  const specific = `${cleanPath(dockerfile)}.dockerignore`;
  if (exists(specific)) return specific;
  return exists('.dockerignore') ? '.dockerignore' : undefined;
}
