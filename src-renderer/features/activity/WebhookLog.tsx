import { useEffect } from 'react';
import { useStores, useWebhooks } from '../../stores/context';
import { useWorkspace } from '../../stores/workspace-context';

/** Per repository: its webhooks, the deliveries of one with every attempt, and a ping to test the receiver. */
export function WebhookLog({ active }: { active: boolean }) {
  const stores = useStores();
  const repos = useWorkspace('repos', (s) => s.repos);
  const selectedRepo = useWorkspace('repos', (s) => s.selected);
  const repo = useWebhooks((s) => s.repo);
  const webhooks = useWebhooks((s) => s.webhooks);
  const selected = useWebhooks((s) => s.selected);
  const deliveries = useWebhooks((s) => s.deliveries);
  const loading = useWebhooks((s) => s.loading);
  const pinged = useWebhooks((s) => s.pinged);
  const problem = useWebhooks((s) => s.problem);
  const actions = stores.webhooks.getState();

  useEffect(() => {
    if (active) void stores.webhooks.getState().load(stores.webhooks.getState().repo ?? selectedRepo);
  }, [active, selectedRepo, stores]);

  return (
    <section className="wh" aria-label="Webhook deliveries">
      <h2>Webhook deliveries</h2>
      <div className="wh-row">
        <label>
          Repository{' '}
          <select value={repo ?? ''} onChange={(e) => void actions.load(e.target.value || null)}>
            <option value="">Choose…</option>
            {repos.map((r) => (
              <option key={r.id}>{r.id}</option>
            ))}
          </select>
        </label>
        {webhooks.length > 0 && (
          <label>
            Webhook{' '}
            <select value={selected ?? ''} onChange={(e) => void actions.select(e.target.value || null)}>
              {webhooks.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.url} ({w.events.join(', ')}){w.active ? '' : ' — inactive'}
                </option>
              ))}
            </select>
          </label>
        )}
        {selected && (
          <>
            <button type="button" onClick={() => void actions.ping(selected)}>
              Ping
            </button>
            <button type="button" onClick={() => void actions.select(selected)}>
              Refresh
            </button>
          </>
        )}
        {pinged && <span role="status">Ping sent as event {pinged}.</span>}
      </div>
      {problem && <p className="wh-problem">{problem}</p>}
      {repo && !loading && webhooks.length === 0 && !problem && (
        <p className="hint">
          No webhooks on {repo}. Add one with POST /api/v1/repos/{repo}/webhooks.
        </p>
      )}
      {selected && (
        <table aria-label="Deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>State</th>
              <th>Attempts</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.length === 0 && (
              <tr>
                <td colSpan={3}>No deliveries yet.</td>
              </tr>
            )}
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.event_type}</code>
                </td>
                <td className={`wh-${d.state}`}>{d.state}</td>
                <td>
                  {d.attempts.map((a, i) => (
                    <div key={i}>
                      {new Date(a.time).toLocaleTimeString()} · {a.status ?? a.error ?? '—'} · {a.duration_ms} ms
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
