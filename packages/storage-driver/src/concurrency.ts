/**
 * `map` with at most `limit` calls of `fn` running at once, results in input order. After the
 * first failure no new item is started, and it rejects with that failure once the calls
 * already running have settled.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await settleAll(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Waits for every one of `steps` to settle, then rejects with the first failure: unlike
 * `Promise.all`, nothing is still running when the caller cleans up or goes on (a temporary
 * file opened after its removal would stay behind; a lock released too early would let the
 * next holder in while a step still runs).
 */
export async function settleAll(steps: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(steps)).find((step) => step.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
