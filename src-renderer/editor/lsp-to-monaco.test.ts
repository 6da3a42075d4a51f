import { describe, expect, it } from 'vitest';
import { kindName, toCompletion, toHover, toLspPosition } from './lsp-to-monaco';

const wordRange = { startLineNumber: 2, startColumn: 1, endLineNumber: 2, endColumn: 4 };

describe('language server to Monaco', () => {
  it('turns 1-based Monaco positions into 0-based LSP ones', () => {
    expect(toLspPosition({ lineNumber: 2, column: 4 })).toEqual({ line: 1, character: 3 });
  });

  it('maps a snippet completion with its edit range and markdown documentation', () => {
    const item = toCompletion(
      {
        label: 'WORKDIR',
        kind: 14,
        insertTextFormat: 2,
        textEdit: {
          range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } },
          newText: 'WORKDIR ${1:/path}',
        },
        documentation: { kind: 'markdown', value: 'Sets the working directory' },
      },
      wordRange,
      (name) => (name === 'Keyword' ? 17 : 18),
    );
    expect(item).toEqual({
      label: 'WORKDIR',
      kind: 17,
      insertText: 'WORKDIR ${1:/path}',
      insertTextRules: 4,
      range: wordRange,
      documentation: { value: 'Sets the working directory' },
    });
  });

  it('falls back to the word range and the label, and to Text for unknown kinds', () => {
    const item = toCompletion({ label: 'build' }, wordRange, (name) => (name === 'Text' ? 18 : 0));
    expect(item).toMatchObject({ label: 'build', insertText: 'build', range: wordRange, kind: 18 });
    expect(kindName(99)).toBe('Text');
  });

  it('maps hover contents to markdown strings', () => {
    expect(toHover({ contents: { kind: 'markdown', value: '**FROM**' } })).toEqual({
      contents: [{ value: '**FROM**' }],
    });
  });
});
