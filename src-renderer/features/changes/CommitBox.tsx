import { useState } from 'react';
import { useWorkspace } from '../../stores/workspace-context';
import { FOCUS_TARGETS } from '../workspace/dialogs-context';
import { checkSummary, SUMMARY_LIMIT } from './commit-message';

/** The message and the Commit button; Ctrl/Cmd+Enter commits from anywhere in the workspace. */
export function CommitBox({ unsavedCount }: { unsavedCount: number }) {
  const message = useWorkspace('worktree', (s) => s.draftMessage);
  const setMessage = useWorkspace('worktree', (s) => s.setDraftMessage);
  const changes = useWorkspace('worktree', (s) => s.changes);
  const commit = useWorkspace('worktree', (s) => s.commit);
  const [busy, setBusy] = useState(false);
  // Set by a commit attempt: an empty message is only worth a word once someone tries to commit with it.
  const [attempted, setAttempted] = useState(false);
  const check = checkSummary(message);
  const staged = changes.filter((c) => c.staging !== 'unstaged').length;
  const summaryLength = (message.split('\n', 1)[0] ?? '').length;

  const submit = async () => {
    setAttempted(true);
    if (check.blocking || changes.length === 0 || busy) return;
    setBusy(true);
    const hash = await commit(message);
    setBusy(false);
    if (hash) setAttempted(false);
  };

  return (
    <form
      className="ws-commit"
      aria-label="Commit"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={FOCUS_TARGETS.message} className="ws-visually-hidden">
        Commit message
      </label>
      <textarea
        id={FOCUS_TARGETS.message}
        value={message}
        rows={3}
        placeholder="Summary (first line), then details"
        aria-keyshortcuts="Alt+M"
        aria-describedby="ws-commit-check"
        spellCheck
        onChange={(e) => setMessage(e.target.value)}
      />
      <p id="ws-commit-check" className={`ws-commit-check${check.ok ? '' : ' ws-warn'}`} aria-live="polite">
        {!check.ok && (attempted || message !== '') ? check.problem : `${summaryLength}/${SUMMARY_LIMIT}`}
      </p>
      {unsavedCount > 0 && (
        <p className="ws-warn">
          {unsavedCount} open file{unsavedCount === 1 ? ' has' : 's have'} unsaved changes, which a commit leaves out.
        </p>
      )}
      <button
        type="submit"
        className="ws-primary"
        aria-keyshortcuts="Control+Enter"
        disabled={busy || changes.length === 0 || check.blocking}
        title="Commit (Ctrl/Cmd+Enter)"
      >
        {busy ? 'Committing…' : staged > 0 ? `Commit ${staged} staged` : `Commit all ${changes.length}`}
      </button>
    </form>
  );
}
