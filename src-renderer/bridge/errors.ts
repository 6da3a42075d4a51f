import { GovcError } from '../../src-shared/errors';

/** One sentence a person can act on, for any failure to reach or use the engine. */
export function describeFailure(err: unknown): string {
  if (err instanceof GovcError) {
    if (err.code === 'UNAUTHORIZED') {
      return 'Not signed in to the engine: open the URL that `govc serve` printed (it ends in ?token=…).';
    }
    return `${err.message} (${err.code})`;
  }
  // fetch rejects with a TypeError when the server cannot be reached at all.
  if (err instanceof TypeError) return `Cannot reach the engine: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
