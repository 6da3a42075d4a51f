import type { MergeOutcome } from '../../stores/branches';
import { useWorkspace } from '../../stores/workspace-context';
import { FOCUS_TARGETS, useOpenDialog } from './dialogs-context';

/** The checked-out branch: switch, create, merge another into it, delete; and what the last merge did. */
export function BranchPicker() {
  const repo = useWorkspace('branches', (s) => s.repo);
  const branches = useWorkspace('branches', (s) => s.branches);
  const current = useWorkspace('branches', (s) => s.current);
  const lastMerge = useWorkspace('branches', (s) => s.lastMerge);
  const checkout = useWorkspace('branches', (s) => s.checkout);
  const openDialog = useOpenDialog();
  const others = branches.filter((b) => b.name !== current);

  return (
    <div className="ws-picker">
      <label htmlFor={FOCUS_TARGETS.branch} className="ws-picker-label">
        Branch
      </label>
      <div className="ws-picker-row">
        <select
          id={FOCUS_TARGETS.branch}
          value={current ?? ''}
          disabled={!repo}
          aria-keyshortcuts="Alt+B"
          onChange={(e) => void checkout(e.target.value)}
        >
          {branches.length === 0 && <option value={current ?? ''}>{current ?? 'No commits yet'}</option>}
          {branches.map((branch) => (
            <option key={branch.name} value={branch.name}>
              {branch.name}
              {branch.name !== current && (branch.ahead || branch.behind)
                ? ` (↑${branch.ahead} ↓${branch.behind})`
                : ''}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="ws-icon-button"
          aria-label="New branch"
          aria-keyshortcuts="Alt+Shift+B"
          title="New branch from here (Alt+Shift+B)"
          disabled={!repo || branches.length === 0}
          onClick={() => openDialog({ kind: 'newBranch' })}
        >
          +
        </button>
        <button
          type="button"
          className="ws-icon-button"
          aria-label="Merge into current branch"
          aria-keyshortcuts="Alt+Shift+M"
          title="Merge another branch into this one (Alt+Shift+M)"
          disabled={others.length === 0}
          onClick={() => openDialog({ kind: 'merge' })}
        >
          ⤵
        </button>
        <button
          type="button"
          className="ws-icon-button"
          aria-label="Delete branch"
          title="Delete a branch"
          disabled={others.length === 0}
          onClick={() => openDialog({ kind: 'deleteBranch', name: others[0]?.name ?? '' })}
        >
          ×
        </button>
      </div>
      {lastMerge && <MergeNote outcome={lastMerge} />}
    </div>
  );
}

function MergeNote({ outcome }: { outcome: MergeOutcome }) {
  const clear = useWorkspace('branches', (s) => s.clearProblem);
  return (
    <div className={`ws-merge-note ws-merge-${outcome.kind}`} role={outcome.kind === 'merged' ? 'status' : 'alert'}>
      {outcome.kind === 'merged' && (
        <p>
          Merged {outcome.ref}: {outcome.status}
          {outcome.changed ? `, ${outcome.changed} file${outcome.changed === 1 ? '' : 's'} changed` : ''}.
        </p>
      )}
      {outcome.kind === 'failed' && (
        <p>
          Could not merge {outcome.ref}: {outcome.problem}
        </p>
      )}
      {outcome.kind === 'conflict' && (
        <>
          <p>Merging {outcome.ref} conflicts; nothing was changed. Conflicting paths:</p>
          <ul aria-label="Conflicting paths">
            {outcome.paths.map((path) => (
              <li key={path}>
                <code>{path}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="ws-link-button" onClick={clear}>
        Dismiss
      </button>
    </div>
  );
}
