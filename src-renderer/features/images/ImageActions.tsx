import { useEffect, useState } from 'react';
import { IMAGE_EXPORT_FORMATS, type ImageExportFormat } from '../../bridge/images';
import { useImages, useImagesStore } from './images-context';

const FORMAT_LABELS: Record<ImageExportFormat, string> = {
  oci: 'OCI layout (folder)',
  'oci-archive': 'OCI archive (tar)',
  'docker-archive': 'Docker archive (tar, docker load)',
};

/** Export, sign, push and delete for the selected image, acting on one of its names (or its digest). */
export function ImageActions() {
  const store = useImagesStore();
  const detail = useImages((s) => s.detail);
  const running = useImages((s) => s.action.phase === 'running');
  const [name, setName] = useState('');
  const [format, setFormat] = useState<ImageExportFormat>('oci');
  const [dest, setDest] = useState('');
  const [destination, setDestination] = useState('');
  const [confirming, setConfirming] = useState(false);

  const names = detail?.names ?? [];
  useEffect(() => {
    setName(detail ? (detail.names[0] ?? detail.digest) : '');
    setConfirming(false);
  }, [detail]);
  if (!detail) return null;

  return (
    <section className="iv-actions" aria-label="Image actions">
      <label>
        Name{' '}
        <select value={name} onChange={(e) => setName(e.target.value)}>
          {names.map((n) => (
            <option key={n}>{n}</option>
          ))}
          <option value={detail.digest}>by digest (all names)</option>
        </select>
      </label>
      <form
        className="iv-row"
        aria-label="Export image"
        onSubmit={(e) => {
          e.preventDefault();
          void store.getState().exportImage(name, format, dest.trim());
        }}
      >
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as ImageExportFormat)}>
            {IMAGE_EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Destination on the engine&apos;s machine{' '}
          <input
            value={dest}
            onChange={(e) => setDest(e.target.value)}
            placeholder="/absolute/path"
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={running || dest.trim() === ''}>
          Export
        </button>
      </form>
      <div className="iv-row" role="group" aria-label="Sign image">
        <button type="button" disabled={running} onClick={() => void store.getState().sign(name)}>
          Sign
        </button>
        <span className="iv-muted">With the engine&apos;s key; pushes carry the signature along.</span>
      </div>
      <form
        className="iv-row"
        aria-label="Push image"
        onSubmit={(e) => {
          e.preventDefault();
          void store.getState().push(name, destination.trim());
        }}
      >
        <label>
          Push to{' '}
          <input
            value={destination}
            onChange={(e) => setDestination(e.target.value)}
            placeholder="host:5000/team/app:tag"
            spellCheck={false}
          />
        </label>
        <button type="submit" disabled={running || destination.trim() === ''}>
          Push
        </button>
      </form>
      <div className="iv-row" role="group" aria-label="Delete image">
        {confirming ? (
          <>
            <span>Delete {name === detail.digest ? 'every name of this image' : name}?</span>
            <button
              type="button"
              className="iv-danger"
              autoFocus
              onClick={() => {
                setConfirming(false);
                void store.getState().deleteImage(name);
              }}
            >
              Confirm delete
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" disabled={running} onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
      </div>
    </section>
  );
}
