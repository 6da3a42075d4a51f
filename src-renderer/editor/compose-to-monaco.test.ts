import { describe, expect, it } from 'vitest';
import { toCompletion, toHover, type CompletionNumbers } from './compose-to-monaco';

const n: CompletionNumbers = { property: 9, value: 13, insertAsSnippet: 4, deprecated: 1 };
const range = { start: { line: 3, column: 5 }, end: { line: 3, column: 10 } };
const key = (label: string, shape: 'map' | 'list' | 'block' | 'scalar' | 'mixed', deprecated = false) => ({
  label,
  kind: 'key' as const,
  description: `About ${label}.`,
  type: 'string',
  shape,
  deprecated,
});

describe('compose help to Monaco', () => {
  it('inserts a key with what its value needs: a space, an indented line, or a list item', () => {
    const insert = (shape: Parameters<typeof key>[1]) =>
      toCompletion(key('k', shape), range, { lineNumber: 3, column: 7 }, n).insertText;
    expect(insert('scalar')).toBe('k: $0');
    expect(insert('mixed')).toBe('k: $0');
    expect(insert('map')).toBe('k:\n\t$0');
    expect(insert('block')).toBe('k:\n\t$0');
    expect(insert('list')).toBe('k:\n\t- $0');
  });

  it('replaces the whole word on Tab, up to the cursor on Enter, with the description and type shown', () => {
    const item = toCompletion(key('image', 'scalar'), range, { lineNumber: 3, column: 7 }, n);
    expect(item).toMatchObject({
      label: 'image',
      kind: 9,
      insertTextRules: 4,
      detail: 'string · compose-spec',
      documentation: { value: 'About image.' },
      range: {
        insert: { startLineNumber: 3, startColumn: 5, endLineNumber: 3, endColumn: 7 },
        replace: { startLineNumber: 3, startColumn: 5, endLineNumber: 3, endColumn: 10 },
      },
    });
    expect(item.tags).toBeUndefined();
  });

  it('marks deprecated keys, inserts values as they are, and escapes snippet syntax in a key', () => {
    expect(toCompletion(key('version', 'scalar', true), range, { lineNumber: 3, column: 5 }, n).tags).toEqual([1]);
    const value = { ...key('service_healthy', 'scalar'), kind: 'value' as const };
    expect(toCompletion(value, range, { lineNumber: 3, column: 5 }, n, 1)).toMatchObject({
      kind: 13,
      insertText: 'service_healthy',
      sortText: '0001',
    });
    expect(toCompletion(key('image', 'scalar'), range, { lineNumber: 3, column: 5 }, n, 1).sortText).toBeUndefined();
    expect(toCompletion(key('x-$a', 'scalar'), range, { lineNumber: 3, column: 5 }, n).insertText).toBe('x-\\$a: $0');
  });

  it('a hover: key, type and deprecation, then the description, then where it sits in the spec', () => {
    const hover = toHover({
      key: 'version',
      path: 'version',
      description: 'declared for backward compatibility, ignored.',
      type: 'string',
      deprecated: true,
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 8 } },
    });
    expect(hover.contents.map((c) => c.value)).toEqual([
      '**version** · `string` · *deprecated*',
      'declared for backward compatibility, ignored.',
      'compose-spec: `version`',
    ]);
    expect(hover.range).toEqual({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 8 });
  });
});
