import { mediaTypeName, type RegistryManifest } from '../../bridge/registry';
import { formatBytes, shortDigest } from '../images/format';
import { plural } from './plural';
import { useRegistry } from './registry-context';

/** One repository's tags, each with its manifest: type, sizes, an index's platforms, and referrers. */
export function RepositoryDetails({ name }: { name: string }) {
  const state = useRegistry((s) => s.details[name]);
  if (state?.phase === 'failed') {
    return (
      <p className="rv-problem" role="alert">
        {state.problem}
      </p>
    );
  }
  const data = state?.data;
  if (data === undefined) return <p className="hint">Loading the manifests of {name}…</p>;
  return (
    <>
      <table className="rv-manifests" aria-label={`Manifests of ${name}`}>
        <thead>
          <tr>
            <th scope="col">Tag</th>
            <th scope="col">Digest</th>
            <th scope="col">Type</th>
            <th scope="col">Size</th>
            <th scope="col">Referrers</th>
          </tr>
        </thead>
        <tbody>
          {data.tags.map(({ tag, manifest }) => (
            <ManifestRow key={tag} tag={tag} manifest={manifest} />
          ))}
        </tbody>
      </table>
      {data.untagged > 0 && (
        <p className="hint">
          {plural(data.untagged, 'untagged manifest', 'untagged manifests')} (referrers, platform manifests of an index,
          or pushes a tag moved away from)
        </p>
      )}
    </>
  );
}

function ManifestRow({ tag, manifest }: { tag: string; manifest: RegistryManifest }) {
  const content =
    manifest.kind === 'index'
      ? `${formatBytes(manifest.content_size)} in ${plural(manifest.manifests.length, 'platform', 'platforms')}`
      : `${formatBytes(manifest.content_size)} in config + ${plural(manifest.layers, 'layer', 'layers')}`;
  return (
    <tr>
      <th scope="row" className="rv-mono">
        {tag}
      </th>
      <td className="rv-mono" title={manifest.digest}>
        {shortDigest(manifest.digest)}
      </td>
      <td>
        {mediaTypeName(manifest.media_type)}
        {manifest.kind === 'index' && (
          <ul className="rv-sublist" aria-label={`Platforms of ${tag}`}>
            {manifest.manifests.map((m) => (
              <li key={m.digest}>
                {m.platform ?? 'unknown platform'} <span className="rv-mono">{shortDigest(m.digest)}</span>{' '}
                {m.content_size === undefined ? '(not in this repository)' : formatBytes(m.content_size)}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {formatBytes(manifest.size)} manifest, {content}
      </td>
      <td>
        {manifest.referrers.length === 0 ? (
          'none'
        ) : (
          <ul className="rv-sublist" aria-label={`Referrers of ${tag}`}>
            {manifest.referrers.map((r) => (
              <li key={r.digest}>
                {r.artifact_type ?? mediaTypeName(r.media_type)}{' '}
                <span className="rv-mono">{shortDigest(r.digest)}</span> {formatBytes(r.size)}
                {Object.entries(r.annotations).map(([key, value]) => (
                  <div key={key} className="rv-annotation">
                    {key}: {value}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
