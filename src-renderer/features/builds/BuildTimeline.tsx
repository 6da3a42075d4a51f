import { useEffect, useState } from 'react';
import type { Build } from '../../bridge';
import { formatBytes, formatDuration, timelineOf, type TimelineBar } from '../../stores/build-timeline-model';

/** Redraws while the build runs, so the running bar grows; a finished build draws once. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [running]);
  return running ? now : Date.now();
}

const barStyle = (bar: TimelineBar) => ({ left: `${bar.left * 100}%`, width: `${bar.width * 100}%` });

/** Stages as lanes on one time axis, each step as a line under its stage with its bar on the same axis. */
export function BuildTimeline({ build }: { build: Build }) {
  const running = build.status === 'running' || build.status === 'pending';
  const now = useNow(running);
  const { spanMs, stages } = timelineOf(build, now);

  if (build.steps.length === 0) {
    return <p className="bp-empty">{build.status === 'pending' ? 'Waiting in the build queue…' : 'No steps ran.'}</p>;
  }
  return (
    <div className="bt" role="list" aria-label="Build timeline">
      <div className="bt-axis" aria-hidden="true">
        <span>0s</span>
        <span>{formatDuration(spanMs / 2)}</span>
        <span>{formatDuration(spanMs)}</span>
      </div>
      {stages.map((stage) => (
        <div key={stage.name} role="listitem" className="bt-stage" aria-label={`Stage ${stage.name}`}>
          <div className="bt-row bt-stage-row">
            <span className="bt-label">{stage.name}</span>
            <span className="bt-track">
              <span className={`bt-bar bt-stage-bar${stage.running ? ' bt-running' : ''}`} style={barStyle(stage)} />
            </span>
            <span className="bt-facts" />
          </div>
          <ol className="bt-steps" aria-label={`Steps of ${stage.name}`}>
            {stage.steps.map(({ step, elapsedMs, ...bar }) => (
              <li
                key={step.id}
                className={`bt-step bt-${step.status}${step.cached ? ' bt-cached' : ''}`}
                aria-label={`${step.id} ${step.text}`}
                data-status={step.status}
              >
                <div className="bt-row">
                  <span className="bt-label" title={step.text}>
                    <span className="bt-id">{step.id}</span> {step.text}
                  </span>
                  <span className="bt-track">
                    <span className={`bt-bar${step.status === 'running' ? ' bt-running' : ''}`} style={barStyle(bar)} />
                  </span>
                  <span className="bt-facts">
                    {step.cached ? (
                      <span className="bt-tag">CACHED</span>
                    ) : step.status === 'running' ? (
                      <span className="bt-tag bt-tag-running">{formatDuration(elapsedMs)}</span>
                    ) : (
                      <span>{formatDuration(step.duration_ms ?? elapsedMs)}</span>
                    )}
                    {step.layer_size !== null && step.layer_size > 0 && (
                      <span className="bt-size">{formatBytes(step.layer_size)}</span>
                    )}
                    {(step.status === 'failed' || step.status === 'cancelled') && (
                      <span className="bt-tag bt-tag-bad">{step.status.toUpperCase()}</span>
                    )}
                  </span>
                </div>
                {!step.cached && step.miss_reason && <p className="bt-miss">↳ missed: {step.miss_reason}</p>}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}
