import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { haveTools } from '../../testing/tools';
import {
  compareGitNames,
  decodeCommit,
  decodeTree,
  encodeCommit,
  encodeTree,
  EMPTY_TREE_OID,
  hashObject,
  isBinary,
  type TreeEntry,
} from './objects';
import { checkPath, checkRefName, refNameProblem } from './validate';
import { mergeText } from './merge';

describe('object codecs', () => {
  it('hashes the empty tree as git does', () => {
    expect(hashObject('tree', encodeTree([]))).toBe(EMPTY_TREE_OID);
  });

  it('orders tree entries as git does: a tree sorts as if its name ended in "/"', () => {
    const z = '0'.repeat(40);
    const entries: TreeEntry[] = [
      { name: 'a.txt', oid: z, mode: '100644' },
      { name: 'a', oid: z, mode: '40000' },
      { name: 'a-b', oid: z, mode: '100644' },
      { name: 'a0', oid: z, mode: '100644' },
    ];
    expect(decodeTree(encodeTree(entries)).map((e) => e.name)).toEqual(['a-b', 'a.txt', 'a', 'a0']);
  });

  it('compares names by UTF-8 bytes, not UTF-16 units', () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in bytes, after it in UTF-16 units.
    expect(compareGitNames('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect(compareGitNames('a', 'ab')).toBeLessThan(0);
  });

  it('round-trips commits, keeping headers it does not interpret', () => {
    const bytes = encodeCommit({
      tree: EMPTY_TREE_OID,
      parents: ['1'.repeat(40), '2'.repeat(40)],
      author: { name: 'A', email: 'a@x', time: 1, tz: '+0000' },
      committer: { name: 'C', email: 'c@x', time: 2, tz: '-0130' },
      message: 'subject\n\nbody\n',
      extra: ['encoding ISO-8859-1'],
    });
    const c = decodeCommit(bytes);
    expect(c.parents).toHaveLength(2);
    expect(c.committer.tz).toBe('-0130');
    expect(c.extra).toEqual(['encoding ISO-8859-1']);
    expect(encodeCommit(c).equals(bytes)).toBe(true);
  });

  it('calls content with a NUL in its first 8,000 bytes binary', () => {
    expect(isBinary(Buffer.from('plain\ntext'))).toBe(false);
    expect(isBinary(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))).toBe(true);
  });
});

describe.skipIf(!haveTools('git'))('object ids against git hash-object', () => {
  it('gives blobs the oid git gives them, text and binary', () => {
    for (const content of [Buffer.from('hello\n'), Buffer.from([0, 1, 2, 255, 254]), Buffer.alloc(0)]) {
      const expected = execFileSync('git', ['hash-object', '--stdin'], { input: content }).toString().trim();
      expect(hashObject('blob', content)).toBe(expected);
    }
  });
});

describe('paths and ref names', () => {
  it.each([
    '../x',
    'a/../b',
    '/etc/passwd',
    '.git/config',
    'a/.GIT/b',
    'a//b',
    'a/',
    '',
    './a',
    'a\0b',
    'C:\\x',
    '.git.',
    'x/.git ',
    '.git::$INDEX_ALLOCATION/x',
    'GIT~1/config',
    '.g\u200cit/hooks',
  ])('refuses the path %j', (p) => {
    expect(() => checkPath(p)).toThrow(expect.objectContaining({ code: 'INVALID_PATH' }));
  });

  it.each(['a', 'dir/file.txt', '.gitignore', 'a..b', 'sp ace', 'ünï/cödé'])('accepts the path %j', (p) => {
    expect(checkPath(p)).toBe(p);
  });

  it('refuses bad ref names with INVALID_REF', () => {
    expect(() => checkRefName('a..b')).toThrow(expect.objectContaining({ code: 'INVALID_REF' }));
  });
});

describe.skipIf(!haveTools('git'))('ref names against git check-ref-format --branch', () => {
  // ('@' is left out: `--branch @` expands it to the current branch instead of checking it.)
  const names = [
    'main',
    'feature/x',
    'a..b',
    'a.lock',
    'a/.b',
    '.a',
    'a/',
    '/a',
    'a//b',
    'a.',
    'a@{b',
    'a b',
    'a~b',
    'a^b',
    'a:b',
    'a?b',
    'a*b',
    'a[b',
    'a\\b',
    'x/y.lock/z',
    '-x',
    'v1.0',
    'ü',
    'a@b',
    'HEAD',
    'a\tb',
  ];
  it.each(names)('agrees on %j', (name) => {
    let gitOk = true;
    try {
      execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    } catch {
      gitOk = false;
    }
    expect(refNameProblem(name) === undefined).toBe(gitOk);
  });
});

describe('three-way text merge', () => {
  const base = 'one\ntwo\nthree\nfour\nfive\n';
  it('takes changes of both sides in different places', () => {
    expect(mergeText(base, 'ONE\ntwo\nthree\nfour\nfive\n', 'one\ntwo\nthree\nfour\nFIVE\n')).toBe(
      'ONE\ntwo\nthree\nfour\nFIVE\n',
    );
  });
  it('accepts the same change on both sides', () => {
    expect(mergeText(base, 'one\nTWO\nthree\nfour\nfive\n', 'one\nTWO\nthree\nfour\nfive\n')).toBe(
      'one\nTWO\nthree\nfour\nfive\n',
    );
  });
  it('reports different changes to the same lines', () => {
    expect(mergeText(base, 'one\nTWO\nthree\nfour\nfive\n', 'one\n2\nthree\nfour\nfive\n')).toBeUndefined();
  });
  it('reports changes to adjacent lines, as git does', () => {
    expect(mergeText(base, 'one\nTWO\nthree\nfour\nfive\n', 'one\ntwo\nTHREE\nfour\nfive\n')).toBeUndefined();
  });
  it('merges insertions at different places and keeps a missing final newline', () => {
    expect(mergeText('a\nb\nc\nd', 'a\nx\nb\nc\nd', 'a\nb\nc\ny\nd')).toBe('a\nx\nb\nc\ny\nd');
  });
});
