/**
 * Dockerfile completion (instructions, flags, variables, stage names after `--from`) and hover, from
 * rcjsuen's dockerfile-language-service running in the renderer on the model's current text, so it helps
 * while typing, before any save; stage names and the flags it does not know from dockerfile-hover-extra.
 * Registered once for every Dockerfile model.
 */
import './buffer-shim';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { extraHover } from './dockerfile-hover-extra';
import { toCompletion, toHover, toLspPosition } from './lsp-to-monaco';
import { monaco } from './monaco';

const service = DockerfileLanguageServiceFactory.createLanguageService();
service.setCapabilities({
  completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
  hover: { contentFormat: ['markdown'] },
});

let registered = false;

export function registerDockerfileAssist(): void {
  if (registered) return;
  registered = true;
  const kinds = monaco.languages.CompletionItemKind;

  monaco.languages.registerCompletionItemProvider('dockerfile', {
    // `-` starts a flag (`--from=`), `$` and `{` a variable, `=` a flag's value.
    triggerCharacters: ['-', '$', '{', '='],
    async provideCompletionItems(model, position) {
      const items = await service.computeCompletionItems(model.getValue(), toLspPosition(position));
      const word = model.getWordUntilPosition(position);
      const wordRange = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const suggestions = items.map((item) =>
        toCompletion(service.resolveCompletionItem(item), wordRange, (name) => kinds[name]),
      );
      return { suggestions };
    },
  });

  monaco.languages.registerHoverProvider('dockerfile', {
    provideHover(model, position) {
      const text = model.getValue();
      const at = toLspPosition(position);
      const hover = extraHover(text, at.line, at.character) ?? service.computeHover(text, at);
      return hover ? toHover(hover) : null;
    },
  });
}
