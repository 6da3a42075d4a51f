/** COPY/ADD source selection over an abstract context, as a table of sources → selected (path → dest). */
import { describe, expect, it } from 'vitest';
import { type ContextEntry, selectSources, type SelectErrorCode } from './select';

const file = (path: string): ContextEntry => ({ path, type: 'file', mode: 0o644 });
const dir = (path: string): ContextEntry => ({ path, type: 'dir', mode: 0o755 });

const CONTEXT: ContextEntry[] = [
  file('Dockerfile'),
  file('README.md'),
  file('hom1.txt'),
  file('home.md'),
  dir('src'),
  file('src/index.ts'),
  file('src/util.ts'),
  file('src/notes.md'),
  dir('src/lib'),
  file('src/lib/a.ts'),
  dir('web'),
  dir('web/app'),
  file('web/app/page.ts'),
  { path: 'current', type: 'symlink', mode: 0o777, target: 'src/lib' },
  { path: 'link.txt', type: 'symlink', mode: 0o777, target: '/hom1.txt' },
];

type Row = [string, string[], { excludes?: string[]; parents?: boolean }, Array<[string, string]>];

const rows: Row[] = [
  ['a file keeps its base name', ['README.md'], {}, [['README.md', 'README.md']]],
  ['a leading / is the context root', ['/README.md'], {}, [['README.md', 'README.md']]],
  ['./ and inner .. are cleaned', ['./src/../README.md'], {}, [['README.md', 'README.md']]],
  ['a directory copies its contents, not itself', ['src/lib'], {}, [['src/lib/a.ts', 'a.ts']]],
  [
    '. copies the whole context',
    ['.'],
    { excludes: ['src', 'web', 'current', 'link.txt'] },
    [
      ['Dockerfile', 'Dockerfile'],
      ['README.md', 'README.md'],
      ['hom1.txt', 'hom1.txt'],
      ['home.md', 'home.md'],
    ],
  ],
  [
    '* stays within a segment',
    ['src/*.ts'],
    {},
    [
      ['src/index.ts', 'index.ts'],
      ['src/util.ts', 'util.ts'],
    ],
  ],
  ['? matches one character', ['hom?.txt'], {}, [['hom1.txt', 'hom1.txt']]],
  ['[...] classes', ['hom[0-9].txt'], {}, [['hom1.txt', 'hom1.txt']]],
  ['--exclude drops matches', ['hom*'], { excludes: ['*.txt'] }, [['home.md', 'home.md']]],
  [
    '--exclude applies inside copied directories',
    ['src'],
    { excludes: ['*.md', 'lib'] },
    [
      ['src/index.ts', 'index.ts'],
      ['src/util.ts', 'util.ts'],
    ],
  ],
  [
    '--parents keeps the directories',
    ['src/*.ts', 'web/app/page.ts'],
    { parents: true },
    [
      ['src/index.ts', 'src/index.ts'],
      ['src/util.ts', 'src/util.ts'],
      ['web/app/page.ts', 'web/app/page.ts'],
    ],
  ],
  ['--parents below a /./ pivot', ['./web/./app/page.ts'], { parents: true }, [['web/app/page.ts', 'app/page.ts']]],
  ['a symlinked directory is followed', ['current'], {}, [['src/lib/a.ts', 'a.ts']]],
  ['a symlink to an absolute path resolves in the context', ['link.txt'], {}, [['hom1.txt', 'link.txt']]],
];

describe('COPY source selection', () => {
  for (const [name, sources, options, expected] of rows) {
    it(name, () => {
      const selected = selectSources(CONTEXT, sources, options).map((s) => [s.entry.path, s.dest]);
      expect(selected).toEqual(expected);
    });
  }

  const errors: Array<[string[], SelectErrorCode, RegExp]> = [
    [['../outside'], 'OUTSIDE_CONTEXT', /outside the build context: \.\.\/outside/],
    [['src/../../x'], 'OUTSIDE_CONTEXT', /outside the build context/],
    [['missing.txt'], 'NOT_FOUND', /"missing\.txt": not found/],
    [['*.nothing'], 'NO_SOURCE', /no source files were specified: "\*\.nothing"/],
    [[], 'NO_SOURCE', /no source files were specified/],
    [['bad[.txt'], 'BAD_PATTERN', /syntax error in pattern/],
  ];
  for (const [sources, code, message] of errors) {
    it(`rejects ${JSON.stringify(sources)} with ${code}`, () => {
      expect(() => selectSources(CONTEXT, sources)).toThrow(message);
      try {
        selectSources(CONTEXT, sources);
      } catch (error) {
        expect((error as { code: string }).code).toBe(code);
      }
    });
  }
});
