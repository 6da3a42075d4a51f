/**
 * The engine's compose help (`definitions.complete`, `definitions.hover`) in Monaco's shapes. Kept free of
 * Monaco's runtime so it is unit tested in Node; the providers live in compose-assist.ts.
 */
import type * as Monaco from 'monaco-editor/editor';
import type { RequestOutput, SourceRange } from '../bridge';

type HelpItem = RequestOutput<'definitions.complete'>['items'][number];
type HoverHelp = NonNullable<RequestOutput<'definitions.hover'>['hover']>;

/** Monaco's numbers, passed in so this file needs no Monaco runtime. */
export interface CompletionNumbers {
  property: Monaco.languages.CompletionItemKind;
  value: Monaco.languages.CompletionItemKind;
  insertAsSnippet: Monaco.languages.CompletionItemInsertTextRule;
  deprecated: Monaco.languages.CompletionItemTag;
}

export function toMonacoRange(range: SourceRange): Monaco.IRange {
  return {
    startLineNumber: range.start.line,
    startColumn: range.start.column,
    endLineNumber: range.end.line,
    endColumn: range.end.column,
  };
}

/**
 * A key goes in with what its value needs: `key: ` for a scalar, an indented line under a map, `- ` under a
 * list. `\t` in a snippet becomes the editor's indentation, so two spaces in a YAML file.
 */
function insertText(item: HelpItem): string {
  if (item.kind === 'value') return item.label;
  const key = item.label.replace(/[$}\\]/g, '\\$&');
  switch (item.shape) {
    case 'map':
    case 'block':
      return `${key}:\n\t$0`;
    case 'list':
      return `${key}:\n\t- $0`;
    case 'scalar':
    case 'mixed':
      return `${key}: $0`;
  }
}

export function toCompletion(
  item: HelpItem,
  range: SourceRange,
  cursor: Pick<Monaco.Position, 'lineNumber' | 'column'>,
  n: CompletionNumbers,
  order = 0,
): Monaco.languages.CompletionItem {
  const replace = toMonacoRange(range);
  // Typing in the middle of a word inserts up to the cursor; accepting with Tab replaces the whole word.
  const insert = { ...replace, endColumn: Math.max(replace.startColumn, Math.min(replace.endColumn, cursor.column)) };
  return {
    label: item.label,
    kind: item.kind === 'key' ? n.property : n.value,
    insertText: insertText(item),
    insertTextRules: n.insertAsSnippet,
    range: { insert, replace },
    detail: item.type === '' ? 'compose-spec' : `${item.type} · compose-spec`,
    ...(item.description ? { documentation: { value: item.description } } : {}),
    ...(item.deprecated ? { tags: [n.deprecated] } : {}),
    // Keys read best in alphabetical order (Monaco's default); values in the spec's (true before false).
    ...(item.kind === 'value' ? { sortText: String(order).padStart(4, '0') } : {}),
  };
}

export function toHover(help: HoverHelp): Monaco.languages.Hover {
  const title = [`**${help.key}**`, help.type ? `\`${help.type}\`` : '', help.deprecated ? '*deprecated*' : '']
    .filter(Boolean)
    .join(' · ');
  return {
    contents: [
      { value: title },
      ...(help.description ? [{ value: help.description }] : []),
      { value: `compose-spec: \`${help.path}\`` },
    ],
    range: toMonacoRange(help.range),
  };
}
