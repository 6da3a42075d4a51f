import type { BuildCacheStats } from '../../bridge';
import { formatBytes } from '../images/format';

/** Steps and layers kept, bytes against the limit, and lookups since the engine started. */
export function CacheStats({ cache }: { cache: BuildCacheStats }) {
  const lookups = cache.hits + cache.misses;
  return (
    <dl className="settings-stats" aria-label="Build cache statistics">
      <dt>Steps</dt>
      <dd>{cache.entries}</dd>
      <dt>Layers</dt>
      <dd>{cache.layers}</dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(cache.bytes)} of {cache.max_bytes > 0 ? formatBytes(cache.max_bytes) : 'no limit'}
      </dd>
      <dt>Hits / misses</dt>
      <dd>
        {cache.hits} / {cache.misses}
        {lookups > 0 && ` (${Math.round((cache.hits / lookups) * 100)}% hits since the engine started)`}
      </dd>
    </dl>
  );
}
