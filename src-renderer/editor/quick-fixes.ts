/**
 * Quick fixes from policy findings that carry a `fix`. A fix's ranges describe the saved text the engine
 * checked, so fixes are offered only while the model is still that text: after more typing, the next save
 * brings fresh findings (and fresh fixes).
 */
import type { Problem } from '../stores/diagnostics';
import { monaco } from './monaco';
import { toMarker, MONACO_SEVERITIES } from './markers';

interface FixableState {
  versionId: number;
  problems: readonly Problem[];
}

const fixable = new Map<string, FixableState>();
let registered = false;

export function rememberFixes(model: monaco.editor.ITextModel, problems: readonly Problem[]): void {
  const withFix = problems.filter((p) => p.fix && p.fix.edits.length > 0);
  if (withFix.length === 0) fixable.delete(model.uri.toString());
  else fixable.set(model.uri.toString(), { versionId: model.getAlternativeVersionId(), problems: withFix });
}

const touches = (problem: Problem, range: monaco.IRange) =>
  problem.range.start.line <= range.endLineNumber && problem.range.end.line >= range.startLineNumber;

export function registerQuickFixes(): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCodeActionProvider(
    '*',
    {
      provideCodeActions(model, range) {
        const state = fixable.get(model.uri.toString());
        if (!state || state.versionId !== model.getAlternativeVersionId()) return { actions: [], dispose() {} };
        const actions = state.problems
          .filter((problem) => touches(problem, range))
          .map((problem): monaco.languages.CodeAction => {
            const fix = problem.fix!;
            return {
              title: `${fix.description} (${problem.rule})`,
              kind: 'quickfix',
              isPreferred: true,
              diagnostics: [toMarker(problem, MONACO_SEVERITIES, () => undefined)],
              edit: {
                edits: fix.edits.map((edit) => ({
                  resource: model.uri,
                  versionId: undefined,
                  textEdit: {
                    range: new monaco.Range(
                      edit.range.start.line,
                      edit.range.start.column,
                      edit.range.end.line,
                      edit.range.end.column,
                    ),
                    text: edit.text,
                  },
                })),
              },
            };
          });
        return { actions, dispose() {} };
      },
    },
    { providedCodeActionKinds: ['quickfix'] },
  );
}
