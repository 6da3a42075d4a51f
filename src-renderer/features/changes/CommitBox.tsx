import { useState } from 'react';
import { useBuilds, useStores } from '../../stores/context';
import { tabsOf } from '../../stores/tabs';
import { useWorkspace } from '../../stores/workspace-context';
import { isDockerfilePath } from '../builds/build-form-model';
import { useNavigate } from '../shell/navigation';
import { FOCUS_TARGETS } from '../workspace/dialogs-context';
import { DockerfileChoice, useDockerfileChoices } from './DockerfileChoice';
import { checkSummary, COMMIT_AND_BUILD_ID, SUMMARY_LIMIT } from './commit-message';
import './commit-box.css';

/**
 * The message, Commit (Ctrl/Cmd+Enter), and Commit and build (Ctrl/Cmd+Shift+Enter): commit, then build the
 * chosen Dockerfile at the new commit with its last build's values, and show that build in Builds.
 */
export function CommitBox({ repo, unsavedCount }: { repo: string; unsavedCount: number }) {
  const stores = useStores();
  const navigate = useNavigate();
  const message = useWorkspace('worktree', (s) => s.draftMessage);
  const setMessage = useWorkspace('worktree', (s) => s.setDraftMessage);
  const changes = useWorkspace('worktree', (s) => s.changes);
  const commit = useWorkspace('worktree', (s) => s.commit);
  const activeFile = useWorkspace('tabs', (s) => tabsOf(s, repo).active);
  const lastBuilt = useBuilds((s) => (s.shown && s.byId[s.shown]?.repo === repo ? s.byId[s.shown]?.dockerfile : null));
  const choices = useDockerfileChoices(repo, changes);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<'commit' | 'build' | null>(null);
  // Set by a commit attempt: an empty message is only worth a word once someone tries to commit with it.
  const [attempted, setAttempted] = useState(false);
  const check = checkSummary(message);
  const staged = changes.filter((c) => c.staging !== 'unstaged').length;
  const summaryLength = (message.split('\n', 1)[0] ?? '').length;
  // What was picked here, else the Dockerfile in the editor, else the one built last, else the first.
  const preferred = [picked[repo], isDockerfilePath(activeFile) ? activeFile : null, lastBuilt];
  const dockerfile = preferred.find((p): p is string => !!p && choices.includes(p)) ?? choices[0];
  const blocked = busy !== null || changes.length === 0 || check.blocking;

  const submit = async (then?: 'build') => {
    setAttempted(true);
    if (blocked || (then === 'build' && !dockerfile)) return;
    setBusy(then ?? 'commit');
    const hash = await commit(message);
    if (hash) setAttempted(false);
    if (hash && then === 'build' && dockerfile) {
      const build = await stores.builds.getState().startAt(repo, dockerfile, hash);
      if (build) navigate('builds');
    }
    setBusy(null);
  };

  return (
    <>
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
          disabled={blocked}
          title="Commit (Ctrl/Cmd+Enter)"
        >
          {busy === 'commit' ? 'Committing…' : staged > 0 ? `Commit ${staged} staged` : `Commit all ${changes.length}`}
        </button>
      </form>
      {dockerfile && (
        <div className="ws-commit-build" role="group" aria-label="Commit and build">
          <button
            type="button"
            id={COMMIT_AND_BUILD_ID}
            aria-keyshortcuts="Control+Shift+Enter"
            disabled={blocked}
            title={`Commit, then build ${dockerfile} at the new commit with its last build's values (Ctrl/Cmd+Shift+Enter)`}
            onClick={() => void submit('build')}
          >
            {busy === 'build' ? 'Committing and building…' : 'Commit and build'}
          </button>
          <DockerfileChoice
            choices={choices}
            value={dockerfile}
            onChange={(path) => setPicked((p) => ({ ...p, [repo]: path }))}
          />
        </div>
      )}
    </>
  );
}
