import { useEffect } from 'react';
import { MARKER_OWNER, MONACO_SEVERITIES, toMarker } from '../../editor/markers';
import { monaco } from '../../editor/monaco';
import { attachComposeHelp, registerComposeAssist } from '../../editor/compose-assist';
import { registerDockerfileAssist } from '../../editor/dockerfile-assist';
import { registerQuickFixes, rememberFixes } from '../../editor/quick-fixes';
import { ruleDocLink } from '../../editor/rule-docs';
import { problemsOf } from '../../stores/diagnostics';
import { useDiagnosticsStore } from './diagnostics-context';

registerDockerfileAssist();
registerComposeAssist();
registerQuickFixes();

/**
 * Shows the engine's problems with the file in `editor` as markers (squiggles) and quick fixes, reads them
 * again whenever the saved text changes (opened, saved, changed by another client), moves the cursor
 * when the Problems list asks to, and lets the engine's compose help know the file's path.
 */
export function useEditorProblems(
  editor: monaco.editor.ICodeEditor | null,
  repo: string,
  path: string,
  savedText: string | null,
): void {
  const store = useDiagnosticsStore();

  useEffect(() => {
    // A file never saved has nothing in the work tree for the engine to check.
    if (savedText !== null) void store.getState().refresh(repo, path);
  }, [store, repo, path, savedText]);

  useEffect(() => {
    const model = editor?.getModel();
    return model ? attachComposeHelp(model, path, store.getState().help) : undefined;
  }, [editor, store, repo, path]);

  useEffect(() => {
    if (!editor) return;
    const show = () => {
      const model = editor.getModel();
      if (!model) return;
      const { problems } = problemsOf(store.getState(), repo, path);
      const markers = problems.map((problem) => toMarker(problem, MONACO_SEVERITIES, ruleDocLink));
      monaco.editor.setModelMarkers(model, MARKER_OWNER, markers);
      rememberFixes(model, problems);
    };
    show();
    return store.subscribe((state, previous) => {
      if (state.byFile !== previous.byFile) show();
      const reveal = state.reveal;
      if (reveal && reveal !== previous.reveal && reveal.repo === repo && reveal.path === path) {
        editor.setPosition({ lineNumber: reveal.line, column: reveal.column });
        editor.revealLineInCenterIfOutsideViewport(reveal.line);
        editor.focus();
      }
    });
  }, [editor, store, repo, path]);
}
