import type { ViewId } from './views';

/** Simple line drawings, drawn here so the app needs no icon font or network. */
const PATHS: Record<ViewId, string> = {
  editor: 'M6 3h8l4 4v14H6z M14 3v4h4 M9 12h6 M9 16h6',
  activity: 'M3 12h4l3-7 4 14 3-7h4',
  about: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 11v6 M12 7v1',
  workspace: 'M3 6h6l2 2h10v11H3z M7 18V10 M7 14h5 M7 10h5',
  builds: 'M4 6h9 M4 12h14 M4 18h6 M15 4v4 M20 10v4 M12 16v4',
  // A stack of layers: what an image is.
  images: 'M12 3l9 5-9 5-9-5z M3 12l9 5 9-5 M3 16l9 5 9-5',
  // A shelf of boxes: repositories kept for others to pull.
  registry: 'M3 21h18 M4 13h7v8H4z M13 13h7v8h-7z M8 5h8v8H8z',
  settings:
    'M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8z M12 2v3 M12 19v3 M2 12h3 M19 12h3 M5 5l2 2 M17 17l2 2 M5 19l2-2 M17 7l2-2',
};

export function ViewIcon({ view }: { view: ViewId }) {
  return (
    <svg className="rail-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[view]} />
    </svg>
  );
}
