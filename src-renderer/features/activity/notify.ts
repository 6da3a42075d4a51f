import type { Build } from '../../bridge';

/** One line for a finished build, for the toast and the system notification alike. */
export function finishedText(build: Pick<Build, 'status' | 'dockerfile' | 'repo' | 'error'>): string {
  const what = `${build.repo}: ${build.dockerfile}`;
  switch (build.status) {
    case 'completed':
      return `Build of ${what} completed`;
    case 'failed':
      return `Build of ${what} failed${build.error ? `: ${build.error.message}` : ''}`;
    case 'cancelled':
      return `Build of ${what} was cancelled`;
    default:
      return `Build of ${what} is ${build.status}`;
  }
}

/**
 * A system notification, only where the user already allowed them and the window is not in front. Never
 * asks: Electron denies permission requests (our security setting), so the in-app toast is the main path.
 */
export function notifySystem(build: Build): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || document.hasFocus()) return;
  new Notification('govc Studio', { body: finishedText(build), tag: build.id });
}
