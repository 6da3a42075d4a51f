import { useState } from 'react';
import { useImages, useImagesStore } from './images-context';

/** Pulls an image from a registry into the engine's store. */
export function PullForm() {
  const store = useImagesStore();
  const running = useImages((s) => s.action.phase === 'running');
  const [reference, setReference] = useState('');
  return (
    <form
      className="iv-row"
      aria-label="Pull image"
      onSubmit={(e) => {
        e.preventDefault();
        void store.getState().pull(reference.trim());
      }}
    >
      <label>
        Pull{' '}
        <input
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          placeholder="alpine:3.20"
          spellCheck={false}
        />
      </label>
      <button type="submit" disabled={running || reference.trim() === ''}>
        Pull
      </button>
    </form>
  );
}
