import { ViewIcon } from './Icon';
import { VIEWS, shortcutLabel, type ViewId } from './views';

export function Rail({ current, onSelect }: { current: ViewId; onSelect(view: ViewId): void }) {
  return (
    <nav className="rail" aria-label="Views">
      {VIEWS.map((view) => (
        <button
          key={view.id}
          type="button"
          className="rail-button"
          aria-current={view.id === current ? 'page' : undefined}
          aria-keyshortcuts={`Control+Shift+${view.digit}`}
          title={`${view.label} (${shortcutLabel(view.digit)})`}
          onClick={() => onSelect(view.id)}
        >
          <ViewIcon view={view.id} />
          <span>{view.label}</span>
        </button>
      ))}
    </nav>
  );
}
