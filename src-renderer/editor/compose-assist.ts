/**
 * Compose key help in the editor: completion and hover for YAML models that an editor attached with their
 * repository path, asked of the engine (`definitions.complete`, `definitions.hover`) on the unsaved text,
 * so the renderer ships no schema. The engine says which files are compose files; others get nothing.
 */
import type { EditorHelp } from '../stores/diagnostics';
import { toCompletion, toHover } from './compose-to-monaco';
import { monaco } from './monaco';

interface Attached {
  path: string;
  help: EditorHelp;
}

const attached = new Map<string, Attached>();
let registered = false;

/** Gives a model's help requests their repository path and the engine to ask; undo with the returned call. */
export function attachComposeHelp(model: monaco.editor.ITextModel, path: string, help: EditorHelp): () => void {
  const key = model.uri.toString();
  const entry = { path, help };
  attached.set(key, entry);
  return () => {
    if (attached.get(key) === entry) attached.delete(key);
  };
}

/** Help is a convenience: when the engine cannot be asked (offline, restarting) the editor just offers none. */
function ask(target: Attached, model: monaco.editor.ITextModel, position: monaco.Position) {
  return { path: target.path, content: model.getValue(), line: position.lineNumber, column: position.column };
}

export function registerComposeAssist(): void {
  if (registered) return;
  registered = true;
  const { CompletionItemKind, CompletionItemInsertTextRule, CompletionItemTag, CompletionTriggerKind } =
    monaco.languages;
  const numbers = {
    property: CompletionItemKind.Property,
    value: CompletionItemKind.Value,
    insertAsSnippet: CompletionItemInsertTextRule.InsertAsSnippet,
    deprecated: CompletionItemTag.Deprecated,
  };

  monaco.languages.registerCompletionItemProvider('yaml', {
    // A space after `key:` offers the key's values; keys come on Ctrl+Space (see FileEditor's options).
    triggerCharacters: [' '],
    async provideCompletionItems(model, position, context) {
      const target = attached.get(model.uri.toString());
      if (!target) return { suggestions: [] };
      const answer = await target.help.complete(ask(target, model, position)).catch(() => null);
      const range = answer?.range;
      if (!answer || !range) return { suggestions: [] };
      const { items } = answer;
      const byKey = context.triggerKind === CompletionTriggerKind.TriggerCharacter;
      const offered = byKey ? items.filter((item) => item.kind === 'value') : items;
      return { suggestions: offered.map((item, i) => toCompletion(item, range, position, numbers, i)) };
    },
  });

  monaco.languages.registerHoverProvider('yaml', {
    async provideHover(model, position) {
      const target = attached.get(model.uri.toString());
      if (!target) return null;
      const answer = await target.help.hover(ask(target, model, position)).catch(() => null);
      return answer?.hover ? toHover(answer.hover) : null;
    },
  });
}
