import type { ImageDetail } from '../../bridge/images';
import { formatBytes, formatCreated, shortDigest } from './format';
import { useImages } from './images-context';

/** The selected image's config, its layers each with the instruction that made it, and its history. */
export function ImageDetails() {
  const detail = useImages((s) => s.detail);
  const problem = useImages((s) => s.detailProblem);
  if (problem)
    return (
      <p className="iv-problem" role="alert">
        {problem}
      </p>
    );
  if (!detail) return <p className="empty">Loading the image…</p>;
  return (
    <div className="iv-sections">
      <section aria-label="Configuration">
        <h2>Configuration</h2>
        <dl className="iv-config">
          <dt>Platform</dt>
          <dd>
            {detail.os}/{detail.architecture}
          </dd>
          {configRows(detail).map(([label, value]) => (
            <Row key={label} label={label} value={value} />
          ))}
        </dl>
      </section>
      <section aria-label="Layers">
        <h2>Layers ({detail.layer_list.length})</h2>
        <table className="iv-table" aria-label="Layers">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Instruction</th>
              <th scope="col">Size</th>
              <th scope="col">Digest</th>
            </tr>
          </thead>
          <tbody>
            {detail.layer_list.map((layer, i) => (
              <tr key={`${layer.digest}-${i}`}>
                <td>{i + 1}</td>
                <td className="iv-mono">{layer.created_by ?? '(no history)'}</td>
                <td>{formatBytes(layer.size)}</td>
                <td className="iv-mono" title={layer.digest}>
                  {shortDigest(layer.digest)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="History">
        <h2>History</h2>
        <ol className="iv-history">
          {detail.history.map((h, i) => (
            <li key={i} className={h.empty_layer ? 'iv-empty-layer' : undefined}>
              <span className="iv-mono">{h.created_by ?? '(unknown)'}</span>{' '}
              <span className="iv-muted">
                {h.empty_layer ? 'no layer' : 'layer'} · {formatCreated(h.created)}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="iv-mono">{value}</dd>
    </>
  );
}

/** Only what the image sets: an empty Entrypoint is not worth a row. */
function configRows(detail: ImageDetail): Array<[string, string]> {
  const c = detail.config;
  const rows: Array<[string, string | undefined]> = [
    ['Created', formatCreated(detail.created)],
    ['Size', formatBytes(detail.size)],
    ['Entrypoint', c.Entrypoint ? JSON.stringify(c.Entrypoint) : undefined],
    ['Cmd', c.Cmd ? JSON.stringify(c.Cmd) : undefined],
    ['WorkingDir', c.WorkingDir],
    ['User', c.User],
    ['Env', c.Env?.join('\n')],
    ['ExposedPorts', c.ExposedPorts ? Object.keys(c.ExposedPorts).join(', ') : undefined],
    ['Volumes', c.Volumes ? Object.keys(c.Volumes).join(', ') : undefined],
    [
      'Labels',
      c.Labels
        ? Object.entries(c.Labels)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n')
        : undefined,
    ],
    ['StopSignal', c.StopSignal],
    ['Digest', shortDigest(detail.digest)],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}
