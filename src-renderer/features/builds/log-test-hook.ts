/**
 * TEST ONLY. Lets the performance e2e feed lines straight into the mounted log view, since a build made
 * without a base image cannot RUN anything noisy. Inert unless the page was opened with
 * `localStorage['govc.testHooks'] === '1'` (set only by e2e/specs/web/perf.spec.ts), so it is never active
 * for a user. Nothing in the product calls what it exposes.
 */
export interface LogTestHook {
  /** Appends lines as if a step printed them; they go through the same per-frame batching. */
  feed(lines: readonly string[]): void;
  /** Lines the terminal has finished parsing. */
  written(): number;
}

declare global {
  interface Window {
    __govcLogTestHook?: LogTestHook;
  }
}

export function exposeLogTestHook(hook: LogTestHook): () => void {
  if (!testHooksEnabled()) return () => undefined;
  window.__govcLogTestHook = hook;
  return () => {
    if (window.__govcLogTestHook === hook) delete window.__govcLogTestHook;
  };
}

function testHooksEnabled(): boolean {
  try {
    return window.localStorage.getItem('govc.testHooks') === '1';
  } catch {
    return false;
  }
}
