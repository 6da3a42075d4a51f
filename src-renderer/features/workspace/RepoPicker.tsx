import { useWorkspace } from '../../stores/workspace-context';
import { FOCUS_TARGETS, useOpenDialog } from './dialogs-context';

/** Which repository the workspace shows, and creating, importing and deleting them. */
export function RepoPicker() {
  const repos = useWorkspace('repos', (s) => s.repos);
  const selected = useWorkspace('repos', (s) => s.selected);
  const loaded = useWorkspace('repos', (s) => s.loaded);
  const select = useWorkspace('repos', (s) => s.select);
  const openDialog = useOpenDialog();
  const current = repos.find((r) => r.id === selected);

  return (
    <div className="ws-picker">
      <label htmlFor={FOCUS_TARGETS.repo} className="ws-picker-label">
        Repository
      </label>
      <div className="ws-picker-row">
        <select
          id={FOCUS_TARGETS.repo}
          value={selected ?? ''}
          disabled={repos.length === 0}
          aria-keyshortcuts="Alt+P"
          onChange={(e) => select(e.target.value || null)}
        >
          {repos.length === 0 && <option value="">{loaded ? 'No repositories yet' : 'Loading…'}</option>}
          {repos.map((repo) => (
            <option key={repo.id} value={repo.id}>
              {repo.id}
              {repo.persist ? '' : ' (in memory)'}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="ws-icon-button"
          aria-label="New repository"
          aria-keyshortcuts="Alt+Shift+N"
          title="New or imported repository (Alt+Shift+N)"
          onClick={() => openDialog({ kind: 'newRepo' })}
        >
          +
        </button>
        <button
          type="button"
          className="ws-icon-button"
          aria-label="Delete repository"
          title="Delete this repository"
          disabled={!selected}
          onClick={() => selected && openDialog({ kind: 'deleteRepo', id: selected })}
        >
          ×
        </button>
      </div>
      {current && (
        <p className="ws-picker-note">
          {current.persist ? 'Saved to disk' : 'In memory only: gone when the engine stops'}
        </p>
      )}
    </div>
  );
}
