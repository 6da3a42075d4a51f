/**
 * Language-server shapes (0-based positions, LSP kinds, markup) converted to Monaco's (1-based, its own
 * kind numbers). Kept free of Monaco's runtime so it is unit tested in Node.
 */
import type * as Monaco from 'monaco-editor/editor';
import type { CompletionItem, Hover, MarkupContent, Position, Range } from 'vscode-languageserver-types';

type Markdown = Monaco.IMarkdownString;

/** LSP CompletionItemKind 1…25, in order, by the name Monaco gives the same kind. */
const LSP_KIND_NAMES = [
  'Text',
  'Method',
  'Function',
  'Constructor',
  'Field',
  'Variable',
  'Class',
  'Interface',
  'Module',
  'Property',
  'Unit',
  'Value',
  'Enum',
  'Keyword',
  'Snippet',
  'Color',
  'File',
  'Reference',
  'Folder',
  'EnumMember',
  'Constant',
  'Struct',
  'Event',
  'Operator',
  'TypeParameter',
] as const;

export type KindName = (typeof LSP_KIND_NAMES)[number];

export function kindName(lspKind: number | undefined): KindName {
  return LSP_KIND_NAMES[(lspKind ?? 1) - 1] ?? 'Text';
}

export function toLspPosition(position: Pick<Monaco.Position, 'lineNumber' | 'column'>): Position {
  return { line: position.lineNumber - 1, character: position.column - 1 };
}

export function toMonacoRange(range: Range): Monaco.IRange {
  return {
    startLineNumber: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLineNumber: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function toMarkdown(content: string | MarkupContent | { language: string; value: string }): Markdown {
  if (typeof content === 'string') return { value: content };
  if ('language' in content) return { value: '```' + content.language + '\n' + content.value + '\n```' };
  return { value: content.value };
}

/** LSP InsertTextFormat.Snippet; Monaco's InsertAsSnippet rule is 4. */
const LSP_SNIPPET = 2;
const MONACO_INSERT_AS_SNIPPET = 4;

export function toCompletion(
  item: CompletionItem,
  wordRange: Monaco.IRange,
  kindOf: (name: KindName) => Monaco.languages.CompletionItemKind,
): Monaco.languages.CompletionItem {
  const edit = item.textEdit;
  const range = edit ? toMonacoRange('range' in edit ? edit.range : edit.replace) : wordRange;
  const documentation = item.documentation === undefined ? undefined : toMarkdown(item.documentation);
  return {
    label: item.label,
    kind: kindOf(kindName(item.kind)),
    insertText: edit?.newText ?? item.insertText ?? item.label,
    range,
    ...(item.insertTextFormat === LSP_SNIPPET ? { insertTextRules: MONACO_INSERT_AS_SNIPPET } : {}),
    ...(item.detail ? { detail: item.detail } : {}),
    ...(documentation ? { documentation } : {}),
    ...(item.sortText ? { sortText: item.sortText } : {}),
    ...(item.filterText ? { filterText: item.filterText } : {}),
  };
}

export function toHover(hover: Hover): Monaco.languages.Hover {
  const contents = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
  return {
    contents: contents.map(toMarkdown),
    ...(hover.range ? { range: toMonacoRange(hover.range) } : {}),
  };
}
