const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Sizes file reads so that all open readers together buffer about
 * `budgetBytes`. One download alone reads 2 MiB at a time, which serves
 * loopback at twice the speed of Node's 64 KiB default (docs/performance.md);
 * under many concurrent downloads each reads less, so memory stays bounded.
 */
export class ReadBudget {
  #open = 0;

  constructor(
    private readonly budgetBytes = 64 * MiB,
    private readonly minChunkBytes = 64 * KiB,
    private readonly maxChunkBytes = 2 * MiB,
  ) {}

  /** Readers open now. */
  get open(): number {
    return this.#open;
  }

  /**
   * Counts a new reader of `length` bytes in: the read size it should use, and
   * the function to call once it closes.
   */
  take(length: number): { chunkBytes: number; release: () => void } {
    this.#open += 1;
    const share = Math.floor(this.budgetBytes / this.#open);
    const chunkBytes = Math.max(
      1,
      Math.min(length, Math.max(this.minChunkBytes, Math.min(this.maxChunkBytes, share))),
    );
    let released = false;
    return {
      chunkBytes,
      release: () => {
        if (released) return;
        released = true;
        this.#open -= 1;
      },
    };
  }
}
