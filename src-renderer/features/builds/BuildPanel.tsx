import { useState } from 'react';
import { isFinished, type Build } from '../../bridge';
import { cachedPercent } from '../../stores/build-timeline';
import { formatBytes, formatDuration } from '../../stores/build-timeline-model';
import { useStores } from '../../stores/context';
import { BuildTimeline } from './BuildTimeline';
import { LogView } from './LogView';

type Tab = 'timeline' | 'logs';

/** One build: what it is, how far it got, Cancel and Rebuild, and its timeline or its log. */
export function BuildPanel({ build }: { build: Build }) {
  const stores = useStores();
  const [tab, setTab] = useState<Tab>('timeline');
  const cached = cachedPercent(build);
  const done = isFinished(build.status);
  const ref = build.worktree ? 'work tree' : build.commit ? build.commit.slice(0, 7) : build.ref;

  return (
    <section className="bp" aria-label="Build panel">
      <header className="bp-head">
        <h2 className="bp-title">Build</h2>
        <code className="bp-file">{build.dockerfile}</code>
        <span className="bp-muted">{ref}</span>
        <span role="status" aria-label="Build status" className={`bp-status bp-status-${build.status}`}>
          {build.status}
        </span>
        {cached !== null && <span className="bp-muted">⟳ {cached}% cached</span>}
        {build.duration_ms !== null && <span className="bp-muted">{formatDuration(build.duration_ms)}</span>}
        {build.digest && (
          <code className="bp-muted" title={build.digest}>
            {build.digest.slice(0, 19)} · {formatBytes(build.size)}
          </code>
        )}
        <span className="bp-spacer" />
        <div role="tablist" aria-label="Build views" className="bp-tabs">
          {(['timeline', 'logs'] as const).map((id) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} onClick={() => setTab(id)}>
              {id === 'timeline' ? 'Timeline' : 'Logs'}
            </button>
          ))}
        </div>
        <button type="button" disabled={done} onClick={() => void stores.builds.getState().cancel(build.id)}>
          ■ Cancel
        </button>
        <button type="button" disabled={!done} onClick={() => void stores.builds.getState().rebuild(build.id)}>
          ⟳ Rebuild
        </button>
      </header>
      {build.error && (
        <p className="bp-error" role="alert">
          {build.error.step ? `${build.error.step}: ` : ''}
          {build.error.message} ({build.error.code})
        </p>
      )}
      <div className="bp-body" role="tabpanel" aria-label={tab === 'timeline' ? 'Timeline' : 'Logs'}>
        {tab === 'timeline' ? (
          <BuildTimeline build={build} />
        ) : (
          <LogView logs={stores.builds.getState().logsOf(build.id)} steps={build.steps.map((s) => s.id)} />
        )}
      </div>
    </section>
  );
}
