import { describe, expect, it } from 'vitest';
import { cursorPlace, entriesOf, keyAt, pathOf } from './yaml-cursor';

/** The text with `‸` removed, and the 1-based line and column where it was. */
function at(marked: string): { text: string; line: number; column: number } {
  const offset = marked.indexOf('‸');
  const before = marked.slice(0, offset).split('\n');
  return { text: marked.replace('‸', ''), line: before.length, column: before[before.length - 1]!.length + 1 };
}

function place(marked: string) {
  const { text, line, column } = at(marked);
  return cursorPlace(text, line, column);
}

describe('entriesOf', () => {
  it.each([
    ['services:', [{ col: 0, kind: 'key', name: 'services', open: true }]],
    ['  image: nginx:1 # pinned', [{ col: 2, kind: 'key', name: 'image', open: false }]],
    ['  x-common: &common', [{ col: 2, kind: 'key', name: 'x-common', open: true }]],
    [
      '  - - "my key": # note',
      [
        { col: 2, kind: 'dash', name: '-', open: true },
        { col: 4, kind: 'dash', name: '-', open: true },
        { col: 6, kind: 'key', name: 'my key', open: true },
      ],
    ],
    [
      '    - 80:80',
      [
        { col: 4, kind: 'dash', name: '-', open: true },
        { col: 6, kind: 'key', name: '', open: false },
      ],
    ],
    ['   # a comment', []],
    ['', []],
  ])('%j', (line, entries) => expect(entriesOf(line)).toEqual(entries));
});

describe('cursorPlace', () => {
  it('a key at the top level and in a service, with the word it replaces', () => {
    expect(place('serv‸')).toMatchObject({ kind: 'key', path: [], prefix: 'serv' });
    const inService = place('services:\n  web:\n    im‸age: nginx\n');
    expect(inService).toMatchObject({ kind: 'key', path: ['services', 'web'], prefix: 'im' });
    expect(inService?.span).toEqual({ line: 3, start: 4, end: 9 });
  });

  it('skips comments, blank lines and deeper siblings to find the parent', () => {
    const text = 'services:\n  web:\n    build:\n      context: .\n\n    # ports next\n    ‸\n';
    expect(place(text)).toMatchObject({ kind: 'key', path: ['services', 'web'], prefix: '' });
  });

  it('follows sequence items, indented or at the key’s column, and lists the keys already there', () => {
    const indented = place('services:\n  web:\n    ports:\n      - target: 80\n        pro‸\n');
    expect(indented).toMatchObject({ path: ['services', 'web', 'ports', 0], present: ['target'] });
    const compact = place('services:\n  web:\n    ports:\n    - ‸\n');
    expect(compact).toMatchObject({ path: ['services', 'web', 'ports', 0], inItem: true });
  });

  it('a value typed after `key: `', () => {
    expect(place('services:\n  web:\n    pull_policy: al‸')).toMatchObject({
      kind: 'value',
      path: ['services', 'web', 'pull_policy'],
      prefix: 'al',
    });
  });

  it('nothing under a key whose value is on its own line, or inside a block scalar', () => {
    expect(place('services:\n  web:\n    image: nginx\n      ‸')).toBeNull();
    expect(place('services:\n  web:\n    command: |\n      echo ‸')).toBeNull();
  });

  it('the other keys of the same map only, not the next item’s', () => {
    const text = 'x:\n  - a: 1\n    ‸\n    b: 2\n  - c: 3\n';
    expect(place(text)).toMatchObject({ path: ['x', 0], present: ['a', 'b'] });
  });
});

describe('keyAt and pathOf', () => {
  it('the key under the cursor with its whole path, and nothing past its end', () => {
    const text = 'services:\n  web:\n    ports:\n      - target: 80\n';
    expect(keyAt(text, 4, 10)).toEqual({
      path: ['services', 'web', 'ports', 0, 'target'],
      span: { line: 4, start: 8, end: 14 },
    });
    expect(keyAt(text, 4, 16)).toBeNull();
  });

  it('a node at column 0 is at the top', () => {
    expect(pathOf(['a:', '  b: 1'], 1, 0, false)).toEqual([]);
  });
});
