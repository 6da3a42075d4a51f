import { useEffect, useState } from 'react';
import { cachedPercent } from '../../stores/build-timeline';
import { formatDuration } from '../../stores/build-timeline-model';
import { useBuilds, useStores } from '../../stores/context';
import { useWorkspace } from '../../stores/workspace-context';
import { BuildPanel } from './BuildPanel';
import { CompareTable } from './CompareTable';
import './builds.css';

/** The repository's builds, newest first: pick one to see it, two to compare them step by step. */
export default function BuildsView({ active }: { active: boolean }) {
  const stores = useStores();
  const repos = useWorkspace('repos', (s) => s.repos);
  const repo = useWorkspace('repos', (s) => s.selected);
  const selectRepo = useWorkspace('repos', (s) => s.select);
  const history = useBuilds((s) => s.history);
  const shown = useBuilds((s) => (s.shown ? s.byId[s.shown] : undefined));
  const [picked, setPicked] = useState<string[]>([]);

  useEffect(() => {
    if (active) void stores.builds.getState().loadHistory(repo);
  }, [active, repo, stores]);
  useEffect(() => setPicked([]), [repo]);

  const toggle = (id: string, on: boolean) =>
    setPicked((current) => (on ? [...current.filter((p) => p !== id), id].slice(-2) : current.filter((p) => p !== id)));
  // Older first, so the comparison reads "what changed since".
  const pair = [...picked].sort();

  return (
    <div className="bv">
      <header className="view-header">
        <h1>Builds</h1>
        <label>
          Repository{' '}
          <select value={repo ?? ''} onChange={(e) => selectRepo(e.target.value || null)}>
            {repos.length === 0 && <option value="">No repositories</option>}
            {repos.map((r) => (
              <option key={r.id}>{r.id}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={pair.length !== 2 || !repo}
          onClick={() => repo && void stores.builds.getState().compare(repo, pair[0]!, pair[1]!)}
        >
          Compare the two selected
        </button>
        <button type="button" disabled={!repo} onClick={() => void stores.builds.getState().loadHistory(repo)}>
          Refresh
        </button>
      </header>
      <div className="bv-scroll">
        {history.builds.length === 0 ? (
          <p className="empty">
            {history.loading ? 'Loading…' : 'No builds yet. Open a Dockerfile in Files and press Ctrl+B.'}
          </p>
        ) : (
          <table className="bv-table" aria-label="Build history">
            <thead>
              <tr>
                <th>Compare</th>
                <th>Status</th>
                <th>Dockerfile</th>
                <th>Commit</th>
                <th>Duration</th>
                <th>Cached</th>
                <th>Digest</th>
                <th>Queued</th>
              </tr>
            </thead>
            <tbody>
              {history.builds.map((build) => (
                <tr key={build.id} aria-selected={shown?.id === build.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${build.id} to compare`}
                      checked={picked.includes(build.id)}
                      onChange={(e) => toggle(build.id, e.target.checked)}
                    />
                  </td>
                  <td className={`bp-status-${build.status}`}>{build.status}</td>
                  <td>
                    <button
                      type="button"
                      className="ws-link-button"
                      aria-label={`Show build ${build.id}`}
                      onClick={() => void stores.builds.getState().show(build.repo, build.id)}
                    >
                      {build.dockerfile}
                    </button>
                  </td>
                  <td>
                    <code>{build.worktree ? 'work tree' : (build.commit?.slice(0, 7) ?? '–')}</code>
                  </td>
                  <td>{formatDuration(build.duration_ms)}</td>
                  <td>{cachedPercent(build) === null ? '–' : `${cachedPercent(build)}%`}</td>
                  <td>
                    <code title={build.digest ?? undefined}>{build.digest?.slice(7, 19) ?? '–'}</code>
                  </td>
                  <td>{new Date(build.queued_at).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <CompareTable />
      </div>
      {shown && shown.repo === repo && (
        <div className="bv-detail">
          <BuildPanel build={shown} />
        </div>
      )}
    </div>
  );
}
