import { bufferKey, isUnsaved } from '../../stores/buffers';
import { tabsOf } from '../../stores/tabs';
import { useWorkspace } from '../../stores/workspace-context';
import { DiffView } from '../changes/DiffView';
import { ProblemBadge, ProblemsPanel } from '../problems/ProblemsPanel';
import { useOpenDialog } from './dialogs-context';
import { FileEditor } from './FileEditor';

/** Tabs of open files over the editor; a diff, when one is shown, takes the editor's place. */
export function EditorArea({ repo }: { repo: string }) {
  const tabs = useWorkspace('tabs', (s) => tabsOf(s, repo));
  const activate = useWorkspace('tabs', (s) => s.activate);
  const close = useWorkspace('tabs', (s) => s.close);
  const buffers = useWorkspace('buffers', (s) => s.buffers);
  const saveProblem = useWorkspace('buffers', (s) => s.saveProblem);
  const diffTarget = useWorkspace('diff', (s) => s.target);
  const closeDiff = useWorkspace('diff', (s) => s.close);
  const save = useWorkspace('tabs', (s) => s.save);
  const discard = useWorkspace('buffers', (s) => s.replaced);
  const openDialog = useOpenDialog();
  const active = tabs.active;
  const buffer = active ? buffers[bufferKey(repo, active)] : undefined;

  return (
    <div className="ws-editor-area">
      <div className="ws-tabs" role="tablist" aria-label="Open files">
        {tabs.open.map((path) => {
          const unsaved = isUnsaved(buffers[bufferKey(repo, path)]);
          const name = path.split('/').pop() ?? path;
          return (
            <div key={path} className="ws-tab" aria-current={path === active && !diffTarget ? 'true' : undefined}>
              <button
                type="button"
                role="tab"
                aria-selected={path === active}
                aria-label={unsaved ? `${path}, unsaved` : path}
                title={path}
                onClick={() => {
                  closeDiff();
                  activate(repo, path);
                }}
              >
                {name}
                <ProblemBadge repo={repo} path={path} />
                {unsaved && (
                  <span className="ws-unsaved-dot" aria-hidden="true">
                    {' ●'}
                  </span>
                )}
              </button>
              <button
                type="button"
                className="ws-tab-close"
                aria-label={`Close ${path}`}
                title="Close (Alt+W); unsaved text is kept"
                onClick={() => close(repo, path)}
              >
                ×
              </button>
            </div>
          );
        })}
      </div>
      {diffTarget ? (
        <DiffView />
      ) : active && buffer ? (
        <div className="ws-editor" role="tabpanel" aria-label={active}>
          <div className="ws-editor-bar">
            <span className="ws-editor-path">{active}</span>
            {isUnsaved(buffer) && (
              <span role="status" className="ws-unsaved-note">
                {buffer.base === null ? 'New file, not saved yet' : 'Unsaved changes'}
                {buffer.restored ? ' (kept from your last session)' : ''}
              </span>
            )}
            {saveProblem && (
              <span role="alert" className="ws-problem">
                {saveProblem}
              </span>
            )}
            <span className="ws-spacer" />
            <button type="button" aria-keyshortcuts="Control+S" onClick={() => void save(repo, active)}>
              Save
            </button>
            {isUnsaved(buffer) && buffer.base !== null && (
              <button type="button" onClick={() => discard(bufferKey(repo, active), buffer.base ?? '')}>
                Revert
              </button>
            )}
            <button
              type="button"
              aria-keyshortcuts="Alt+R"
              onClick={() => openDialog({ kind: 'renameFile', path: active })}
            >
              Rename
            </button>
            <button
              type="button"
              aria-keyshortcuts="Alt+D"
              onClick={() => openDialog({ kind: 'deleteFile', path: active })}
            >
              Delete
            </button>
          </div>
          <div className="ws-editor-host">
            <FileEditor repo={repo} path={active} buffer={buffer} />
          </div>
          <ProblemsPanel repo={repo} path={active} />
        </div>
      ) : (
        <p className="ws-empty">
          {active ? 'Opening…' : 'Open a file from the tree, or make a new one (Alt+N). Shortcuts: F1.'}
        </p>
      )}
    </div>
  );
}
