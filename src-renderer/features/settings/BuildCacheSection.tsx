import { useEffect, useState } from 'react';
import { useSettings, useStores } from '../../stores/context';
import { formatBytes } from '../images/format';
import { CacheStats } from './CacheStats';
import { fromBytes, toBytes, type SizeUnit } from './cache-size';

/** The build cache: its size limit, its statistics, and a prune of everything (asked first). */
export function BuildCacheSection() {
  const stores = useStores();
  const builds = useSettings((s) => s.builds);
  const cache = useSettings((s) => s.cache);
  const pruned = useSettings((s) => s.pruned);
  const problem = useSettings((s) => s.problems.cache);
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<SizeUnit>('MiB');
  const [confirming, setConfirming] = useState(false);
  const [pruning, setPruning] = useState(false);
  const actions = stores.settings.getState();

  useEffect(() => {
    if (!builds) return;
    const shown = fromBytes(builds.cache_max_bytes);
    setAmount(shown.amount);
    setUnit(shown.unit);
  }, [builds]);

  const bytes = toBytes(amount, unit);
  const prune = async () => {
    setConfirming(false);
    setPruning(true);
    await actions.pruneCache();
    setPruning(false);
  };

  return (
    <section aria-labelledby="settings-cache">
      <h2 id="settings-cache">Build cache</h2>
      <form
        className="settings-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (bytes !== undefined) void actions.setCacheLimit(bytes);
        }}
      >
        <label>
          Size limit{' '}
          <input
            type="number"
            min={0}
            step="any"
            value={amount}
            disabled={!builds}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
        <select
          aria-label="Size limit unit"
          value={unit}
          disabled={!builds}
          onChange={(e) => setUnit(e.target.value as SizeUnit)}
        >
          <option value="MiB">MiB</option>
          <option value="GiB">GiB</option>
        </select>
        <button type="submit" disabled={!builds || bytes === undefined || bytes === builds.cache_max_bytes}>
          Apply
        </button>
        <span className="hint">Least recently used steps are forgotten past it.</span>
      </form>
      {cache && <CacheStats cache={cache} />}
      <div className="settings-row">
        {confirming ? (
          <>
            <span>Forget every cached step? The next builds run every step again.</span>
            <button type="button" onClick={() => void prune()}>
              Confirm prune
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" disabled={pruning} onClick={() => setConfirming(true)}>
            Prune cache
          </button>
        )}
        {pruned && !pruning && (
          <span role="status" aria-label="Prune result">
            Forgot {pruned.removed_entries} steps ({formatBytes(pruned.released_bytes)} of layers), freed{' '}
            {pruned.freed_blobs} blobs
          </span>
        )}
      </div>
      {problem && <p className="settings-problem">{problem}</p>}
    </section>
  );
}
