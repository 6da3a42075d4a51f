import { useEffect } from 'react';
import { useBuilds, useStores } from '../../stores/context';
import { finishedText } from './notify';
import './toasts.css';

/** How long a toast stays: long enough to read, short enough not to pile up. */
const TOAST_MS = 8000;

/** Finished builds, told in the corner of the window whichever view is showing. */
export function Toasts() {
  const stores = useStores();
  const toasts = useBuilds((s) => s.toasts);

  useEffect(() => {
    if (toasts.length === 0) return;
    const timers = toasts.map((toast) => setTimeout(() => stores.builds.getState().dismissToast(toast.id), TOAST_MS));
    return () => timers.forEach(clearTimeout);
  }, [toasts, stores]);

  return (
    <div className="toasts" role="region" aria-label="Notifications">
      {toasts.map(({ id, build }) => (
        <div key={id} role="status" className={`toast toast-${build.status}`}>
          <span>{finishedText(build)}</span>
          <button
            type="button"
            aria-label="Dismiss notification"
            onClick={() => stores.builds.getState().dismissToast(id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
