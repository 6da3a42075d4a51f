import { bufferKey, isUnsaved } from '../../stores/buffers';
import type { FileChangeKind } from '../../stores/diff';
import { tabsOf } from '../../stores/tabs';
import type { Change, ChangeBadge } from '../../stores/worktree';
import { useWorkspace } from '../../stores/workspace-context';
import { FOCUS_TARGETS, useOpenDialog } from '../workspace/dialogs-context';
import { CommitBox } from './CommitBox';

const STATUS: Record<ChangeBadge, FileChangeKind> = { A: 'added', M: 'modified', D: 'deleted' };

/** Changed files with a staging checkbox, their diff on a click, restore; then the commit box. */
export function ChangesPanel({ repo }: { repo: string }) {
  const changes = useWorkspace('worktree', (s) => s.changes);
  const setStaged = useWorkspace('worktree', (s) => s.setStaged);
  const showDiff = useWorkspace('diff', (s) => s.show);
  const diffTarget = useWorkspace('diff', (s) => s.target);
  const openTabs = useWorkspace('tabs', (s) => tabsOf(s, repo).open);
  const buffers = useWorkspace('buffers', (s) => s.buffers);
  const openDialog = useOpenDialog();
  const unsavedCount = openTabs.filter((path) => isUnsaved(buffers[bufferKey(repo, path)])).length;

  return (
    <section className="ws-panel-section" aria-labelledby="ws-changes-title">
      <h2 id="ws-changes-title" className="ws-section-title">
        Changes ({changes.length})
      </h2>
      {changes.length === 0 ? (
        <p className="ws-empty" id={FOCUS_TARGETS.changes} tabIndex={-1}>
          No changes: the work tree matches HEAD.
        </p>
      ) : (
        <ul className="ws-changes" aria-label="Changed files" id={FOCUS_TARGETS.changes}>
          {changes.map((change) => (
            <ChangeRow
              key={change.path}
              change={change}
              shown={diffTarget?.kind === 'worktree' && diffTarget.path === change.path}
              onStage={(staged) => void setStaged(change.path, staged)}
              onShow={() => void showDiff({ kind: 'worktree', repo, path: change.path, change: STATUS[change.badge] })}
              onRestore={() => openDialog({ kind: 'restore', path: change.path })}
            />
          ))}
        </ul>
      )}
      <CommitBox repo={repo} unsavedCount={unsavedCount} />
    </section>
  );
}

function ChangeRow({
  change,
  shown,
  onStage,
  onShow,
  onRestore,
}: {
  change: Change;
  shown: boolean;
  onStage(staged: boolean): void;
  onShow(): void;
  onRestore(): void;
}) {
  const status = STATUS[change.badge];
  return (
    <li className={`ws-change ws-badge-${change.badge}`} aria-current={shown ? 'true' : undefined}>
      <input
        type="checkbox"
        aria-label={`Stage ${change.path}`}
        checked={change.staging === 'staged'}
        ref={(box) => {
          if (box) box.indeterminate = change.staging === 'partly';
        }}
        onChange={(e) => onStage(e.target.checked)}
      />
      <span className="ws-badge" title={status} aria-hidden="true">
        {change.badge}
      </span>
      <button
        type="button"
        className="ws-change-path"
        aria-label={`Show diff of ${change.path} (${status})`}
        title={`${change.path}: ${status}`}
        onClick={onShow}
      >
        {change.path}
      </button>
      {change.additions !== undefined && (
        <span className="ws-line-counts" aria-label={`${change.additions} added, ${change.deletions} removed lines`}>
          <span className="ws-add">+{change.additions}</span> <span className="ws-del">−{change.deletions}</span>
        </span>
      )}
      <button
        type="button"
        className="ws-icon-button"
        aria-label={`Restore ${change.path}`}
        title={change.badge === 'A' ? 'Delete this new file' : 'Restore to HEAD'}
        onClick={onRestore}
      >
        ↺
      </button>
    </li>
  );
}
