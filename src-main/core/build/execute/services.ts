/** What a build's steps share: the engine's store, cache and executor, and this build's settings. */
import type { CacheIndex } from '../plan/cache-index';
import type { Executor } from '../sandbox/executor';
import type { ContentStore } from '../store/content-store';
import type { BuildEvent } from './events';
import type { RemoteSources } from './remote';

export interface BuildServices {
  store: ContentStore;
  cache: CacheIndex;
  executor: Executor;
  /** Holds `RUN --mount=type=cache` folders. */
  dataDir: string;
  dockerfileName: string;
  sourceDateEpoch: number;
  noCache: boolean;
  signal?: AbortSignal;
  onEvent?: (event: BuildEvent) => void;
  /** ADD's URL downloads, once per build. */
  remote: RemoteSources;
  nextId(): number;
}
