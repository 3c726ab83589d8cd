/**
 * Runs async work one at a time per key. Node runs one callback at a time, but a request
 * awaits disk I/O between checking a precondition and committing: two writers of one object
 * (or two chunks of one upload session) must not interleave there.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      // The last one out removes the key, so the map does not grow with every name ever used.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
