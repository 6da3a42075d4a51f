import { useEffect, useState } from 'react';
import { useSettings, useStores, useSystem } from '../../stores/context';
import type { ThemeChoice } from '../../stores/settings';
import { BuildCacheSection } from './BuildCacheSection';
import { EngineSection } from './EngineSection';
import { TokensSection } from './TokensSection';
import './settings.css';

const THEMES: { id: ThemeChoice; label: string }[] = [
  { id: 'system', label: 'Follow the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** Theme, repositories and the API server, build concurrency, the build cache, API tokens, the data folder. */
export function SettingsView({ active }: { active: boolean }) {
  const stores = useStores();
  const theme = useSettings((s) => s.theme);
  const builds = useSettings((s) => s.builds);
  const problem = useSettings((s) => s.problems.builds);
  const dataDir = useSystem((s) => s.info?.dataDir);
  const [concurrency, setConcurrency] = useState('');

  useEffect(() => {
    if (active) void stores.settings.getState().load();
  }, [active, stores]);
  useEffect(() => setConcurrency(builds ? String(builds.concurrency) : ''), [builds]);

  const wanted = Number(concurrency);
  const valid = Number.isInteger(wanted) && wanted >= 1 && wanted <= 64;

  return (
    <div className="settings">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <section aria-labelledby="settings-theme">
        <h2 id="settings-theme">Theme</h2>
        <div role="radiogroup" aria-labelledby="settings-theme" className="settings-row">
          {THEMES.map((t) => (
            <label key={t.id}>
              <input
                type="radio"
                name="theme"
                checked={theme === t.id}
                onChange={() => stores.settings.getState().setTheme(t.id)}
              />{' '}
              {t.label}
            </label>
          ))}
        </div>
      </section>
      <EngineSection />
      <section aria-labelledby="settings-builds">
        <h2 id="settings-builds">Builds</h2>
        <form
          className="settings-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (valid) void stores.settings.getState().setConcurrency(wanted);
          }}
        >
          <label>
            Builds running at once{' '}
            <input
              type="number"
              min={1}
              max={64}
              value={concurrency}
              disabled={!builds}
              onChange={(e) => setConcurrency(e.target.value)}
            />
          </label>
          <button type="submit" disabled={!builds || !valid || wanted === builds.concurrency}>
            Apply
          </button>
          <span className="hint">Across all repositories; more builds wait in the queue.</span>
        </form>
        {problem && <p className="settings-problem">{problem}</p>}
      </section>
      <BuildCacheSection />
      <TokensSection />
      <section aria-labelledby="settings-data">
        <h2 id="settings-data">Data folder</h2>
        <input
          className="settings-path"
          aria-labelledby="settings-data"
          readOnly
          value={dataDir ?? 'Not known yet'}
          onFocus={(e) => e.target.select()}
        />
        <p className="hint">
          Where the engine keeps repositories, images and build records; set when it starts. To use another, start the
          app with <code>--user-data-dir=DIR</code> (or <code>GOVC_DATA_DIR=DIR</code>), or the server with{' '}
          <code>govc serve --data DIR</code>.
        </p>
      </section>
    </div>
  );
}
