import { useEffect } from 'react';
import { ActionStatus } from './ActionStatus';
import { ImageActions } from './ImageActions';
import { ImageDetails } from './ImageDetails';
import { PullForm } from './PullForm';
import { formatBytes, formatCreated, shortDigest } from './format';
import { useImages, useImagesStore } from './images-context';
import './images.css';

/** The engine's local images: pick one to see its config, layers and history, and act on it. */
export default function ImagesView({ active }: { active: boolean }) {
  const store = useImagesStore();
  const images = useImages((s) => s.images);
  const loading = useImages((s) => s.loading);
  const problem = useImages((s) => s.problem);
  const selected = useImages((s) => s.selected);

  // Following events only while shown keeps a hidden view from refetching on every build.
  useEffect(() => (active ? store.getState().attach() : undefined), [active, store]);

  return (
    <div className="iv">
      <header className="view-header">
        <h1>Images</h1>
        <button type="button" onClick={() => void store.getState().refresh()}>
          Refresh
        </button>
        <PullForm />
      </header>
      <ActionStatus />
      {problem && (
        <p className="iv-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="iv-body">
        <div className="iv-list">
          {images.length === 0 ? (
            <p className="empty">{loading ? 'Loading…' : 'No local images yet. Build one from Files (Ctrl+B).'}</p>
          ) : (
            <table className="iv-table" aria-label="Local images">
              <thead>
                <tr>
                  <th scope="col">Tags</th>
                  <th scope="col">Digest</th>
                  <th scope="col">Size</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {images.map((image) => (
                  <tr key={image.digest} aria-current={image.digest === selected ? 'true' : undefined}>
                    <td>
                      <button
                        type="button"
                        className="iv-pick"
                        aria-pressed={image.digest === selected}
                        onClick={() => void store.getState().select(image.digest)}
                      >
                        {image.names.length > 0 ? image.names.join(', ') : '<none>'}
                      </button>
                    </td>
                    <td className="iv-mono" title={image.digest}>
                      {shortDigest(image.digest)}
                    </td>
                    <td>{formatBytes(image.size)}</td>
                    <td>{formatCreated(image.created)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {selected && (
          <div className="iv-detail">
            <ImageActions />
            <ImageDetails />
          </div>
        )}
      </div>
    </div>
  );
}
