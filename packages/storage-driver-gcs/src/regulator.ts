/**
 * At most `limit` operations at once; the rest wait in order (distribution's `maxconcurrency`
 * regulator): many pushes at once must not open thousands of connections to the store.
 */
export class Regulator {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await operation();
    } finally {
      const next = this.#waiting.shift();
      // The slot passes straight to the next in line, or is given back.
      if (next === undefined) this.#running -= 1;
      else next();
    }
  }

  /** Operations running now. */
  get running(): number {
    return this.#running;
  }
}
