import type { CommitDetail, CommitSummary } from '../../bridge';
import { useWorkspace } from '../../stores/workspace-context';
import { FOCUS_TARGETS } from '../workspace/dialogs-context';

const STATUS_BADGE = { added: 'A', modified: 'M', deleted: 'D' } as const;

/** The history of the checked-out branch, newest first and paged; a commit opens to its files and diffs. */
export function HistoryPanel({ repo }: { repo: string }) {
  const commits = useWorkspace('history', (s) => s.commits);
  const more = useWorkspace('history', (s) => s.more);
  const loading = useWorkspace('history', (s) => s.loading);
  const selected = useWorkspace('history', (s) => s.selected);
  const detail = useWorkspace('history', (s) => s.detail);
  const problem = useWorkspace('history', (s) => s.problem);
  const select = useWorkspace('history', (s) => s.select);
  const loadMore = useWorkspace('history', (s) => s.loadMore);

  return (
    <section className="ws-panel-section" aria-labelledby="ws-history-title">
      <h2 id="ws-history-title" className="ws-section-title">
        History
      </h2>
      {problem && (
        <p role="alert" className="ws-problem">
          {problem}
        </p>
      )}
      {commits.length === 0 && !loading ? (
        <p className="ws-empty" id={FOCUS_TARGETS.history} tabIndex={-1}>
          No commits yet.
        </p>
      ) : (
        <ol className="ws-history" aria-label="Commits" id={FOCUS_TARGETS.history}>
          {commits.map((commit) => (
            <li key={commit.hash}>
              <button
                type="button"
                className="ws-commit-row"
                aria-expanded={commit.hash === selected}
                onClick={() => void select(commit.hash === selected ? null : commit.hash)}
              >
                <code className="ws-hash">{commit.hash.slice(0, 7)}</code>
                <span className="ws-commit-summary">{commit.message.split('\n', 1)[0]}</span>
                <CommitMeta commit={commit} />
              </button>
              {commit.hash === selected &&
                (detail ? <CommitFiles repo={repo} detail={detail} /> : <p className="hint">Reading…</p>)}
            </li>
          ))}
        </ol>
      )}
      {more && (
        <button type="button" onClick={() => void loadMore()} disabled={loading}>
          {loading ? 'Loading…' : 'Load older commits'}
        </button>
      )}
    </section>
  );
}

function CommitMeta({ commit }: { commit: CommitSummary }) {
  return (
    <span className="ws-commit-meta">
      {commit.author.name} · <time dateTime={commit.time}>{new Date(commit.time).toLocaleString()}</time>
    </span>
  );
}

function CommitFiles({ repo, detail }: { repo: string; detail: CommitDetail }) {
  const showDiff = useWorkspace('diff', (s) => s.show);
  const target = useWorkspace('diff', (s) => s.target);
  const parent = detail.parents[0] ?? null;
  return (
    <div className="ws-commit-detail">
      {detail.message.trim().includes('\n') && <pre className="ws-commit-body">{detail.message.trim()}</pre>}
      <p className="hint">
        {detail.files.length} file{detail.files.length === 1 ? '' : 's'}, +{detail.additions} −{detail.deletions}
      </p>
      <ul aria-label={`Files in ${detail.hash.slice(0, 7)}`}>
        {detail.files.map((file) => (
          <li key={file.path} className={`ws-badge-${STATUS_BADGE[file.status]}`}>
            <button
              type="button"
              className="ws-change-path"
              aria-current={target?.kind === 'commit' && target.hash === detail.hash && target.path === file.path}
              aria-label={`Show diff of ${file.path} in ${detail.hash.slice(0, 7)}`}
              onClick={() =>
                void showDiff({ kind: 'commit', repo, path: file.path, change: file.status, hash: detail.hash, parent })
              }
            >
              <span className="ws-badge" aria-hidden="true">
                {STATUS_BADGE[file.status]}
              </span>{' '}
              {file.path}
            </button>
            <span className="ws-line-counts">
              <span className="ws-add">+{file.additions}</span> <span className="ws-del">−{file.deletions}</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
