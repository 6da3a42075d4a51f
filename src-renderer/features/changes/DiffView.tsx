import { DiffEditor } from '@monaco-editor/react';
import '../../editor/monaco';
import { diffTitle } from '../../stores/diff';
import { useWorkspace } from '../../stores/workspace-context';
import { usePrefersDark } from '../shell/theme';
import { languageForPath } from '../workspace/language';

/** Monaco's diff editor over the two sides the diff store read; side by side or inline. */
export function DiffView() {
  const target = useWorkspace('diff', (s) => s.target);
  const original = useWorkspace('diff', (s) => s.original);
  const modified = useWorkspace('diff', (s) => s.modified);
  const loading = useWorkspace('diff', (s) => s.loading);
  const problem = useWorkspace('diff', (s) => s.problem);
  const layout = useWorkspace('diff', (s) => s.layout);
  const toggleLayout = useWorkspace('diff', (s) => s.toggleLayout);
  const close = useWorkspace('diff', (s) => s.close);
  const dark = usePrefersDark();
  if (!target) return null;

  return (
    <section
      className="ws-diff"
      aria-label={`Diff of ${target.path}`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <header className="ws-diff-header">
        <h2 className="ws-diff-title">{diffTitle(target)}</h2>
        {loading && <span className="hint">Reading…</span>}
        <button type="button" aria-pressed={layout === 'inline'} aria-keyshortcuts="Alt+L" onClick={toggleLayout}>
          Inline diff
        </button>
        <button type="button" aria-keyshortcuts="Escape" onClick={close}>
          Close diff
        </button>
      </header>
      {problem && (
        <p role="alert" className="ws-problem">
          {problem}
        </p>
      )}
      <div className="ws-diff-host">
        <DiffEditor
          original={original}
          modified={modified}
          language={languageForPath(target.path)}
          originalModelPath={`diff-original/${target.repo}/${target.path}`}
          modifiedModelPath={`diff-modified/${target.repo}/${target.path}`}
          // Kept, not disposed on unmount: disposing them first makes Monaco throw ("TextModel got disposed
          // before DiffEditorWidget model got reset"); they are reused per path, so they stay few.
          keepCurrentOriginalModel
          keepCurrentModifiedModel
          theme={dark ? 'vs-dark' : 'vs'}
          loading={<p className="view-loading">Loading the diff editor…</p>}
          options={{
            readOnly: true,
            originalEditable: false,
            renderSideBySide: layout === 'side-by-side',
            automaticLayout: true,
            minimap: { enabled: false },
            fontSize: 13,
            scrollBeyondLastLine: false,
            ariaLabel: `Changes to ${target.path}`,
            originalAriaLabel: `${target.path} before`,
          }}
        />
      </div>
    </section>
  );
}
