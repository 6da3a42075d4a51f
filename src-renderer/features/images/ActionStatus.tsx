import { transferTotals } from '../../stores/images';
import { formatBytes } from './format';
import { useImages } from './images-context';

const VERBS = { export: 'Exporting', delete: 'Deleting', push: 'Pushing', pull: 'Pulling', sign: 'Signing' } as const;

/** What the running (or last) action is doing, with push/pull progress over all blobs. */
export function ActionStatus() {
  const action = useImages((s) => s.action);
  const transfers = useImages((s) => s.transfers);
  if (action.phase === 'idle') return null;
  const totals = transferTotals(transfers);
  return (
    <div className="iv-status" role="status" aria-label="Image action">
      {action.phase === 'running' && (
        <>
          <span>
            {VERBS[action.kind]} {action.target}…
          </span>
          {totals.blobs > 0 && (
            <>
              <progress aria-label="Transfer progress" value={totals.bytes} max={Math.max(totals.total, 1)} />
              <span>
                {formatBytes(totals.bytes)} of {formatBytes(totals.total)} ({totals.blobs} blobs)
              </span>
            </>
          )}
        </>
      )}
      {action.phase === 'done' && <span className="iv-ok">{action.message}</span>}
      {action.phase === 'failed' && <span className="iv-problem">{action.problem}</span>}
    </div>
  );
}
