import { formatBytes } from '../images/format';
import { useRegistry, useRegistryStore } from './registry-context';

/** "Run garbage collection" and what the last run removed. */
export function GcButton() {
  const store = useRegistryStore();
  const gc = useRegistry((s) => s.gc);
  return (
    <>
      <button type="button" disabled={gc.phase === 'running'} onClick={() => void store.getState().collectGarbage()}>
        Run garbage collection
      </button>
      <span role="status" aria-label="Garbage collection" className="rv-status">
        {gc.phase === 'running' && 'Collecting…'}
        {gc.phase === 'done' &&
          `Removed ${gc.result.removed} blobs (${formatBytes(gc.result.freed_bytes)}), ` +
            `${gc.result.uploads_expired} stale uploads aborted`}
        {gc.phase === 'failed' && <span className="rv-problem">{gc.problem}</span>}
      </span>
    </>
  );
}
