import type { SystemInfo } from '../../bridge';
import { useSystem } from '../../stores/context';
import { usePrefersDark } from '../shell/theme';
import { PingForm } from './PingForm';

export function AboutView() {
  const info = useSystem((s) => s.info);
  const problem = useSystem((s) => s.problem);
  const dark = usePrefersDark();

  return (
    <div className="about">
      <header className="view-header">
        <h1>About govc Studio</h1>
      </header>
      <section aria-labelledby="about-engine">
        <h2 id="about-engine">Engine</h2>
        {info ? <EngineFacts info={info} /> : <p>{problem ?? 'Asking the engine…'}</p>}
      </section>
      <section aria-labelledby="about-ping">
        <h2 id="about-ping">Round trip</h2>
        <PingForm />
      </section>
      <section aria-labelledby="about-theme">
        <h2 id="about-theme">Theme</h2>
        <p>Follows your system’s light or dark setting; it is {dark ? 'dark' : 'light'} now.</p>
      </section>
    </div>
  );
}

function EngineFacts({ info }: { info: SystemInfo }) {
  const facts: [string, string][] = [
    ['Version', info.version],
    ['Mode', info.mode],
    ['Platform', info.platform],
    ['Node.js', info.node],
    ['Data folder', info.dataDir],
    ['Started', new Date(info.startedAt).toLocaleString()],
  ];
  return (
    <dl className="facts">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
