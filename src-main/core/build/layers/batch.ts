/**
 * Many small fs calls (lstat, chmod, copyFile) issued one await at a time leave libuv's thread pool (4
 * threads) mostly idle: each call pays a full round trip. Issuing a bounded batch at once keeps the pool
 * busy without queueing thousands of requests or holding thousands of results.
 */
const DEFAULT_WIDTH = 32;

/** `fn` over `items` with at most `width` calls in flight; results in input order. */
export async function mapBatched<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  width = DEFAULT_WIDTH,
): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += width) {
    const chunk = items.slice(start, start + width);
    out.push(...(await Promise.all(chunk.map((item, offset) => fn(item, start + offset)))));
  }
  return out;
}
