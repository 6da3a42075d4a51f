/**
 * Runs tasks at most `limit` at a time. The first failure aborts `stop` (so the tasks still running end at
 * their next step or have their RUN killed), no further task starts, and once every started task has
 * settled that first failure is thrown: the siblings' own "cancelled" errors never hide the real cause,
 * and nothing is still writing into scratch folders when the caller disposes them.
 */
export async function runBounded(
  tasks: ReadonlyArray<() => Promise<void>>,
  limit: number,
  stop: AbortController,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        if (!failure) {
          failure = { error };
          stop.abort();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure) throw failure.error;
}
