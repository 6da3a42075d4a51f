/**
 * Progress of blob transfers, as the contract's `registry.transfer.progress` event carries it. Reports of
 * one blob are spaced (every 8 MiB or 500 ms, and its first and last), so a large layer does not flood the bus.
 */
export type TransferState = 'started' | 'progress' | 'resumed' | 'done' | 'skipped' | 'mounted';

export interface TransferProgress {
  direction: 'push' | 'pull';
  /** The remote image, e.g. `127.0.0.1:5000/team/app:v1`. */
  reference: string;
  digest: string;
  state: TransferState;
  bytes: number;
  total: number;
}

const STEP_BYTES = 8 * 1024 * 1024;
const STEP_MS = 500;

export class BlobProgress {
  private lastBytes = 0;
  private lastAt = 0;

  constructor(
    private readonly emit: ((event: TransferProgress) => void) | undefined,
    private readonly base: Pick<TransferProgress, 'direction' | 'reference' | 'digest' | 'total'>,
  ) {}

  report(state: TransferState, bytes: number): void {
    if (this.emit === undefined) return;
    if (state === 'progress') {
      const now = Date.now();
      if (bytes - this.lastBytes < STEP_BYTES && now - this.lastAt < STEP_MS) return;
      this.lastAt = now;
    }
    this.lastBytes = bytes;
    this.emit({ ...this.base, state, bytes });
  }
}

/** Runs `tasks` with at most `limit` at a time; rejects with the first failure once the running ones end. */
export async function runLimited<T>(limit: number, items: T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
