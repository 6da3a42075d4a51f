import { compareModel } from '../../stores/build-compare';
import { useBuilds, useStores } from '../../stores/context';

/** Two builds step by step: what changed, which steps missed the cache in the newer one and why. */
export function CompareTable() {
  const stores = useStores();
  const comparison = useBuilds((s) => s.comparison);
  if (!comparison) return null;
  const model = comparison.result ? compareModel(comparison.result) : undefined;
  return (
    <section className="bv-compare" aria-label="Comparison">
      <header className="bv-row">
        <h2>
          Compare {comparison.a} → {comparison.b}
        </h2>
        <button type="button" onClick={() => stores.builds.getState().closeComparison()}>
          Close
        </button>
      </header>
      {comparison.problem && <p className="bf-problem">{comparison.problem}</p>}
      {!model && !comparison.problem && <p className="bp-muted">Comparing…</p>}
      {model && (
        <>
          <p role="status" aria-label="Comparison summary">
            {model.headline}
          </p>
          <table className="bv-table" aria-label="Steps compared">
            <thead>
              <tr>
                <th>Stage</th>
                <th>Step</th>
                <th>Change</th>
                <th>A</th>
                <th>B</th>
                <th>Why B rebuilt it</th>
                <th>Time</th>
                <th>Layer</th>
              </tr>
            </thead>
            <tbody>
              {model.rows.map((row) => (
                <tr key={row.key} className={`bv-change-${row.change}`}>
                  <td>{row.stage}</td>
                  <td>
                    <code>{row.text}</code>
                  </td>
                  <td>{row.change}</td>
                  <td>{row.inA}</td>
                  <td>{row.inB}</td>
                  <td>{row.why ?? ''}</td>
                  <td>{row.duration}</td>
                  <td>{row.size}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
