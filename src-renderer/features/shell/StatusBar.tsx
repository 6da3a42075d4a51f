import { useEffect } from 'react';
import { statusOf } from '../../stores/system';
import { useBuilds, useSettings, useStores, useSystem } from '../../stores/context';

const STATUS_TEXT = {
  connecting: 'Connecting to engine…',
  connected: 'Connected to engine',
  disconnected: 'Disconnected from engine',
} as const;

export function StatusBar() {
  const status = useSystem(statusOf);
  const info = useSystem((s) => s.info);
  const problem = useSystem((s) => s.problem);
  const stream = useSystem((s) => s.stream);
  const transport = useSystem((s) => s.transport);
  const refresh = useSystem((s) => s.refresh);
  const why = problem ?? (stream === 'lost' ? 'the event stream dropped; retrying' : undefined);
  const settings = useStores().settings;
  const active = useBuilds((s) => Object.keys(s.active).length);
  const api = useSettings((s) => s.engine?.api_server);
  // Once the engine answers: whether the desktop's API server runs, and where.
  useEffect(() => {
    if (info) void settings.getState().loadEngine();
  }, [info, settings]);

  return (
    <footer className="status-bar" aria-label="Status bar">
      <span className={`status-dot status-${status}`} aria-hidden="true" />
      <span role="status" aria-label="Engine connection" title={why}>
        {STATUS_TEXT[status]}
      </span>
      {status === 'disconnected' && (
        <button type="button" className="status-action" onClick={() => void refresh()}>
          Retry
        </button>
      )}
      {info && (
        <>
          <span aria-label="Engine mode">{info.mode}</span>
          <span aria-label="Engine version">v{info.version}</span>
        </>
      )}
      {active > 0 && (
        <span aria-label="Builds running or queued">
          {active} build{active === 1 ? '' : 's'} running or queued
        </span>
      )}
      {api?.changeable && api.url && <span aria-label="API server">API {new URL(api.url).host}</span>}
      <span aria-label="Transport">{transport === 'ipc' ? 'IPC' : `HTTP ${window.location.host}`}</span>
      {why && <span className="status-problem">{why}</span>}
    </footer>
  );
}
