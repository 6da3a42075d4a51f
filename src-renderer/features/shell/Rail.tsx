import { useEffect } from 'react';
import { useBuilds, useStores, useSystem } from '../../stores/context';
import { ViewIcon } from './Icon';
import { VIEWS, shortcutLabel, type ViewId } from './views';
import './rail.css';

export function Rail({ current, onSelect }: { current: ViewId; onSelect(view: ViewId): void }) {
  const stores = useStores();
  const stream = useSystem((s) => s.stream);
  const active = useBuilds((s) => Object.keys(s.active).length);
  // Read at start and again whenever the stream (re)opens: builds may have started or ended while it was down.
  useEffect(() => {
    if (stream === 'open') void stores.builds.getState().loadActive();
  }, [stream, stores]);

  return (
    <nav className="rail" aria-label="Views">
      {VIEWS.map((view) => {
        const badge = view.id === 'builds' && active > 0 ? active : undefined;
        return (
          <button
            key={view.id}
            type="button"
            className="rail-button"
            aria-current={view.id === current ? 'page' : undefined}
            aria-keyshortcuts={`Control+Shift+${view.digit}`}
            aria-label={badge ? `${view.label}, ${badge} running or queued` : view.label}
            title={`${view.label} (${shortcutLabel(view.digit)})${badge ? `: ${badge} running or queued` : ''}`}
            onClick={() => onSelect(view.id)}
          >
            <ViewIcon view={view.id} />
            <span>{view.label}</span>
            {badge && (
              <span className="rail-badge" aria-hidden="true">
                {badge}
              </span>
            )}
          </button>
        );
      })}
    </nav>
  );
}
