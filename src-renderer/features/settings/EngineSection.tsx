import { useEffect, useState } from 'react';
import type { ApiServerStatus } from '../../bridge';
import { useSettings, useStores } from '../../stores/context';

/** Settings the engine keeps: whether new repositories are kept on disk, and the API server. */
export function EngineSection() {
  const stores = useStores();
  const engine = useSettings((s) => s.engine);
  const problem = useSettings((s) => s.problems.engine);
  const [busy, setBusy] = useState(false);
  // Shown while the engine answers; its answer (or the old value, on a refusal) replaces it.
  const [asked, setAsked] = useState<boolean | undefined>(undefined);
  const run = async (change: () => Promise<boolean>) => {
    setBusy(true);
    await change();
    setAsked(undefined);
    setBusy(false);
  };

  return (
    <>
      <section aria-labelledby="settings-repos">
        <h2 id="settings-repos">Repositories</h2>
        <label className="settings-row">
          <input
            type="checkbox"
            checked={asked ?? engine?.persist_default ?? false}
            disabled={!engine || busy}
            aria-describedby="settings-repos-hint"
            onChange={(e) => {
              const persist = e.target.checked;
              setAsked(persist);
              void run(() => stores.settings.getState().setPersistDefault(persist));
            }}
          />
          Keep new repositories on disk
        </label>
        <p className="hint" id="settings-repos-hint">
          The default of the New repository dialog, and of <code>POST /api/v1/repos</code> without <code>persist</code>.
          Otherwise a repository lives in memory only and is gone when the engine stops.
        </p>
      </section>
      <section aria-labelledby="settings-api">
        <h2 id="settings-api">API server</h2>
        {engine && <ApiServer status={engine.api_server} busy={busy} run={run} />}
        {problem && (
          <p role="alert" className="settings-problem">
            {problem}
          </p>
        )}
      </section>
    </>
  );
}

function ApiServer({
  status,
  busy,
  run,
}: {
  status: ApiServerStatus;
  busy: boolean;
  run(change: () => Promise<boolean>): Promise<void>;
}) {
  const stores = useStores();
  const [asked, setAsked] = useState<boolean | undefined>(undefined);
  const [port, setPort] = useState('');
  useEffect(() => setPort(status.port === null ? '' : String(status.port)), [status.port]);
  const wanted = Number(port);
  const validPort = port !== '' && Number.isInteger(wanted) && wanted >= 0 && wanted <= 65535;

  if (!status.changeable) {
    return (
      <>
        <label className="settings-row">
          <input type="checkbox" checked={status.enabled} disabled aria-describedby="settings-api-hint" />
          Serve the REST API
        </label>
        <p className="hint" id="settings-api-hint">
          {status.enabled
            ? `This page is served by the engine's API server (govc serve, ${window.location.origin}/api/v1), so it ` +
              'cannot be turned off from here: stop govc serve, or restart it with other --host and --port flags.'
            : 'This engine was not started by the desktop app, so it has no API server to turn on.'}
        </p>
      </>
    );
  }
  return (
    <>
      <label className="settings-row">
        <input
          type="checkbox"
          checked={asked ?? status.enabled}
          disabled={busy}
          aria-describedby="settings-api-hint"
          onChange={(e) => {
            const enabled = e.target.checked;
            setAsked(enabled);
            void run(() => stores.settings.getState().setApiServer({ enabled })).then(() => setAsked(undefined));
          }}
        />
        Serve the REST API on this computer (127.0.0.1 only)
      </label>
      <form
        className="settings-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (validPort) void run(() => stores.settings.getState().setApiServer({ port: wanted }));
        }}
      >
        <label>
          Port <input type="number" min={0} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || !validPort || wanted === status.port}>
          Apply
        </button>
        <span className="hint">0 picks a free port.</span>
      </form>
      <p className="hint" id="settings-api-hint" aria-live="polite">
        {status.url
          ? `Listening at ${status.url}. Its admin token, new on every start, is in ${status.token_file ?? 'the data folder'}.`
          : status.enabled
            ? 'Not running.'
            : 'Off: scripts and the govc CLI cannot reach this engine over HTTP. The choice is kept for the next start.'}
      </p>
      {status.problem && (
        <p role="alert" className="settings-problem">
          {status.problem}
        </p>
      )}
    </>
  );
}
