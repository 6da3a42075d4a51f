import { useEffect } from 'react';
import { formatBytes } from '../images/format';
import { GcButton } from './GcButton';
import { plural } from './plural';
import { RepositoryRow } from './RepositoryRow';
import { useRegistry, useRegistryStore } from './registry-context';
import './registry.css';

/**
 * The OCI registry served at /v2/: repositories with their tags (expand one for its manifests and
 * referrers), anonymous pull, garbage collection.
 */
export default function RegistryView({ active }: { active: boolean }) {
  const store = useRegistryStore();
  const overview = useRegistry((s) => s.overview);
  const loading = useRegistry((s) => s.loading);
  const problem = useRegistry((s) => s.problem);

  // Following events only while shown keeps a hidden view from refetching on every push.
  useEffect(() => (active ? store.getState().attach() : undefined), [active, store]);

  const repositories = overview?.repositories ?? [];
  return (
    <div className="rv">
      <header className="view-header">
        <h1>Registry</h1>
        <button type="button" onClick={() => void store.getState().refresh()}>
          Refresh
        </button>
        <GcButton />
      </header>
      {problem && (
        <p className="rv-problem" role="alert">
          {problem}
        </p>
      )}
      {overview && (
        <p className="hint" aria-label="Registry storage">
          {plural(overview.count, 'repository', 'repositories')}, {plural(overview.blobs, 'blob', 'blobs')},{' '}
          {formatBytes(overview.bytes)} stored
          {overview.persistent ? '' : ' (in memory: lost when the engine stops)'}
        </p>
      )}
      <div className="rv-list">
        {repositories.length === 0 ? (
          <p className="empty">
            {loading || !overview ? 'Loading…' : 'No repositories yet. Push an image to this engine’s /v2/.'}
          </p>
        ) : (
          <table className="rv-table" aria-label="Registry repositories">
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Tags</th>
                <th scope="col">Manifests</th>
                <th scope="col">Access</th>
              </tr>
            </thead>
            <tbody>
              {repositories.map((repository) => (
                <RepositoryRow key={repository.name} repository={repository} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
