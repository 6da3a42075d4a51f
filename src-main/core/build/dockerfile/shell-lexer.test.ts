/**
 * Variable substitution as a table. Where Dockerfile and POSIX shell semantics coincide (the parameter
 * operators on plain values), bash is the oracle; the rest states what the Dockerfile reference says.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { envFromRecord, processWord, ShellSyntaxError } from './shell-lexer';

const ENV = { V: 'archive.tar.gz', P: '/usr/local/bin/tool', E: '', S: 'a b  c', X: 'xyzxyz' };

const OPERATOR_CASES = [
  '$V',
  '${V}',
  '${V:-w}',
  '${E:-w}',
  '${U:-w}',
  '${V-w}',
  '${E-w}',
  '${U-w}',
  '${V:+w}',
  '${E:+w}',
  '${U:+w}',
  '${V+w}',
  '${E+w}',
  '${U+w}',
  '${V#*.}',
  '${V##*.}',
  '${V%.*}',
  '${V%%.*}',
  '${P##*/}',
  '${P%/*}',
  '${P#/usr}',
  '${V#nomatch}',
  '${X%%y*}',
  '${X#?y}',
  '${X%[xyz]}',
  '${X##[!a]}',
  '${V/tar/zip}',
  '${X//y/Y}',
  '${X/#x/-}',
  '${U:-$V}',
  '${U:-${E:-deep}}',
  'pre${V}post',
  '$V.$E.$U',
  "'$V'",
  '"$V"',
  '"${V%%.*}-x"',
  '\\$V',
  '${V:+"a b"}',
];

function bash(word: string): string {
  const assignments = Object.entries(ENV)
    .map(([name, value]) => `${name}='${value}'`)
    .join('; ');
  // The word is left unquoted for bash so that its own quotes mean what they mean in the Dockerfile.
  return execFileSync('bash', ['-c', `${assignments}; unset U; printf '%s' ${word}`], { encoding: 'utf8' });
}

describe('variable substitution agrees with bash', () => {
  for (const word of OPERATOR_CASES) {
    // `${X/#x/-}` anchors in bash; BuildKit has no anchors, so that row documents the difference.
    if (word === '${X/#x/-}') continue;
    it(word, () => {
      expect(processWord(word, envFromRecord(ENV)).value).toBe(bash(word));
    });
  }
});

describe('Dockerfile-specific substitution', () => {
  const env = envFromRecord({ A: 'one', EMPTY: '', SPACE: 'x y' });
  const table: Array<[string, string, string?]> = [
    ['$A', 'one'],
    ["'$A'", '$A'],
    ['"$A"', 'one'],
    ['\\$A', '$A'],
    ['"\\$A"', '$A'],
    ['"a\\b"', 'a\\b'],
    ['a\\ b', 'a b'],
    ['$', '$'],
    ['$1', ''],
    ['${A}x', 'onex'],
    ['$Ax', ''],
    ['"${A:-"q w"}"', 'one'],
    ['"${EMPTY:-"q w"}"', 'q w'],
    ['`$A', '$A', '`'],
    ['``', '`', '`'],
  ];
  for (const [word, expected, escape] of table) {
    it(`${word} (escape ${escape ?? '\\'})`, () => {
      expect(processWord(word, env, { escape: (escape as '`' | undefined) ?? '\\' }).value).toBe(expected);
    });
  }

  it('splits expanded values into words but not quoted ones', () => {
    expect(processWord('$SPACE "$SPACE"', env).words).toEqual(['x', 'y', 'x y']);
  });

  it('records which variables were used and which were unset', () => {
    const result = processWord('$A ${MISSING} ${OTHER:-x}', env);
    expect([...result.matched]).toEqual(['A']);
    expect([...result.unmatched]).toEqual(['MISSING']);
  });

  it('keeps quotes as text when quote processing is off (heredoc bodies)', () => {
    expect(processWord('"$A" \'$A\'', env, { skipProcessQuotes: true }).value).toBe('"one" \'one\'');
  });

  const errors: Array<[string, RegExp]> = [
    ['${', /missing '}'/],
    ['${A', /missing '}'/],
    ['${}', /bad substitution/],
    ['${:-x}', /bad substitution/],
    ['${A:#x}', /unsupported modifier/],
    ['${A:3}', /unsupported modifier/],
    ['${U?must be set}', /U: must be set/],
    ['${EMPTY:?}', /EMPTY: is not allowed to be empty/],
    ['"open', /double-quote/],
    ["'open", /single-quote/],
  ];
  for (const [word, message] of errors) {
    it(`rejects ${word}`, () => {
      expect(() => processWord(word, env)).toThrow(ShellSyntaxError);
      expect(() => processWord(word, env)).toThrow(message);
    });
  }
});
