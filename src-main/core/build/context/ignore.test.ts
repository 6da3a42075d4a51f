/**
 * .dockerignore as a table: each row is an ignore file, a path, and whether Docker's builder would leave
 * the path out of the context (expectations follow the documented behaviour of .dockerignore).
 */
import { describe, expect, it } from 'vitest';
import { chooseIgnoreFile, IgnoreMatcher, parseDockerignore } from './ignore';

const table: Array<[string, string, boolean]> = [
  // Plain names exclude the path and, when it is a directory, everything under it.
  ['node_modules', 'node_modules', true],
  ['node_modules', 'node_modules/a/b.js', true],
  ['node_modules', 'src/node_modules', false],
  // A leading / or ./ means the same as none: patterns are relative to the context root.
  ['/secret.txt', 'secret.txt', true],
  ['./build', 'build/out.o', true],
  ['build/', 'build/out.o', true],
  // Go filepath.Match: * and ? stay within one segment.
  ['*.md', 'README.md', true],
  ['*.md', 'docs/README.md', false],
  ['*/*.md', 'docs/README.md', true],
  ['*/temp*', 'somedir/temporary.txt', true],
  ['*/temp*', 'somedir/sub/temporary.txt', false],
  ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
  ['temp?', 'temp1', true],
  ['temp?', 'temp12', false],
  ['[a-c].txt', 'b.txt', true],
  ['[^a-c].txt', 'b.txt', false],
  ['[^a-c].txt', 'd.txt', true],
  ['\\*.txt', '*.txt', true],
  ['\\*.txt', 'a.txt', false],
  // ** spans any number of directories, including none.
  ['**/*.go', 'main.go', true],
  ['**/*.go', 'cmd/tool/main.go', true],
  ['docs/**', 'docs/a/b.md', true],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  // Comments and blank lines.
  ['# *.md\n\n', 'README.md', false],
  [' # not a comment', ' # not a comment', false],
  // Exceptions: the LAST matching line wins.
  ['*.md\n!README.md', 'README.md', false],
  ['*.md\n!README.md', 'CHANGES.md', true],
  ['*.md\n!README*.md\nREADME-secret.md', 'README-secret.md', true],
  ['*.md\n!README*.md\nREADME-secret.md', 'README-public.md', false],
  ['!README.md\n*.md', 'README.md', true],
  // An exception re-includes a file under an excluded directory...
  ['docs\n!docs/keep.md', 'docs/keep.md', false],
  ['docs\n!docs/keep.md', 'docs/other.md', true],
  ['docs\n!docs/keep.md', 'docs', true],
  // ...and excluding the directory again after the exception wins over it.
  ['docs\n!docs/keep.md\ndocs', 'docs/keep.md', true],
  // Excluding everything but one directory.
  ['*\n!src', 'src/index.ts', false],
  ['*\n!src', 'package.json', true],
  ['**\n!src/**/*.ts', 'src/a/b.ts', false],
  ['**\n!src/**/*.ts', 'src/a/b.js', true],
  // Whitespace around a pattern is trimmed; `!` may be followed by spaces.
  ['  *.log  \n!  keep.log', 'keep.log', false],
  ['  *.log  \n!  keep.log', 'x.log', true],
  // `..` is cleaned away.
  ['a/../b', 'b', true],
  // The Dockerfile itself can be ignored; the builder still reads it separately.
  ['Dockerfile', 'Dockerfile', true],
];

describe('.dockerignore matching', () => {
  for (const [ignore, path, ignored] of table) {
    it(`${JSON.stringify(ignore)} ${ignored ? 'ignores' : 'keeps'} ${path}`, () => {
      expect(IgnoreMatcher.fromText(ignore).ignores(path)).toBe(ignored);
    });
  }

  it('records cleaned patterns with their lines', () => {
    const patterns = parseDockerignore('# c\n/a/./b/\n\n!./c\n');
    expect(patterns.map(({ pattern, exception, line }) => ({ pattern, exception, line }))).toEqual([
      { pattern: 'a/b', exception: false, line: 2 },
      { pattern: 'c', exception: true, line: 4 },
    ]);
  });

  it('tells a walker to enter an ignored directory when an exception may apply below it', () => {
    const matcher = IgnoreMatcher.fromText('docs\n!docs/keep.md');
    expect(matcher.mayIncludeUnder('docs')).toBe(true);
    expect(IgnoreMatcher.fromText('docs\n!src/x').mayIncludeUnder('docs')).toBe(false);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile over .dockerignore', () => {
    const files = new Set(['.dockerignore', 'build/Dockerfile.dev.dockerignore']);
    expect(chooseIgnoreFile('build/Dockerfile.dev', (p) => files.has(p))).toBe('build/Dockerfile.dev.dockerignore');
    expect(chooseIgnoreFile('Dockerfile', (p) => files.has(p))).toBe('.dockerignore');
    expect(chooseIgnoreFile('Dockerfile', () => false)).toBeUndefined();
  });
});
