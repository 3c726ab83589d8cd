/** Sends one whole part to the store; it must not keep `part` after it settles. */
export type PartSender = (part: Buffer) => Promise<void>;

const initialBufferSize = 64 * 1024;

/**
 * Cuts what a writer is given into parts of `partSize` bytes for an object
 * store's multipart or block upload, and sends each with `send`: one at a
 * time and in order, the next one filling while the last is on its way. So a
 * writer holds at most two parts in memory, and a small file stays small (the
 * buffer grows as it fills).
 *
 * A part that fails to send stays queued, first in line, so nothing is lost:
 * the next `write` or `flush` sends it again, or `unsent()` hands it back for
 * the writer to keep elsewhere.
 */
export class PartUploader {
  /** Whole parts not yet acknowledged by the store; the first may be on its way. */
  readonly #queue: Buffer[] = [];
  #current: Buffer;
  #filled = 0;
  #inFlight: Promise<void> | undefined;
  #taken = 0;

  constructor(
    private readonly partSize: number,
    private readonly send: PartSender,
    start: Uint8Array = new Uint8Array(0),
  ) {
    if (!Number.isSafeInteger(partSize) || partSize < 1) {
      throw new RangeError(`part size must be a positive integer, got ${String(partSize)}`);
    }
    this.#current = Buffer.allocUnsafe(Math.min(initialBufferSize, partSize));
    this.#take(start);
  }

  /** Every byte given so far, the starting tail included, sent or not. */
  get taken(): number {
    return this.#taken;
  }

  /** Bytes given but not yet acknowledged by the store. */
  get pending(): number {
    return this.#queue.length * this.partSize + this.#filled;
  }

  /** Whether a whole part is waiting (or on its way). */
  get hasWholeParts(): boolean {
    return this.#queue.length > 0;
  }

  /**
   * Takes `chunk`, and returns with at most one whole part left, already on its
   * way: a large write waits part by part instead of piling parts up in memory.
   * Rejects with the error of a part that could not be sent.
   */
  async write(chunk: Uint8Array): Promise<void> {
    this.#take(chunk);
    for (;;) {
      this.#startNext();
      if (this.#queue.length <= 1) return;
      await this.settle();
    }
  }

  /** Sends every whole part; what is left is less than one part. */
  async flush(): Promise<void> {
    await this.settle();
    while (this.#queue.length > 0) {
      this.#startNext();
      await this.settle();
    }
  }

  /** Waits for the part on its way; rejects with its error (the part stays queued). */
  async settle(): Promise<void> {
    if (this.#inFlight !== undefined) await this.#inFlight;
  }

  /** Everything not yet sent, in order: the queued parts and the one filling. */
  unsent(): Buffer {
    return Buffer.concat([...this.#queue, this.#current.subarray(0, this.#filled)]);
  }

  #take(bytes: Uint8Array): void {
    this.#taken += bytes.length;
    let offset = 0;
    while (offset < bytes.length) {
      this.#reserve(bytes.length - offset);
      const count = Math.min(bytes.length - offset, this.#current.length - this.#filled);
      this.#current.set(bytes.subarray(offset, offset + count), this.#filled);
      this.#filled += count;
      offset += count;
      if (this.#filled === this.partSize) {
        this.#queue.push(this.#current);
        this.#current = Buffer.allocUnsafe(this.partSize);
        this.#filled = 0;
      }
    }
  }

  /** Grows the filling buffer towards a whole part, for `wanted` more bytes. */
  #reserve(wanted: number): void {
    const capacity = this.#current.length;
    if (capacity === this.partSize || this.#filled + wanted <= capacity) return;
    const grown = Math.min(this.partSize, Math.max(2 * capacity, this.#filled + wanted));
    const replacement = Buffer.allocUnsafe(grown);
    this.#current.copy(replacement, 0, 0, this.#filled);
    this.#current = replacement;
  }

  /** Sends the first queued part unless one is on its way; it leaves the queue on success. */
  #startNext(): void {
    const part = this.#queue[0];
    if (this.#inFlight !== undefined || part === undefined) return;
    const sending = this.send(part)
      .then(() => {
        this.#queue.shift();
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    sending.catch(() => undefined); // observed by settle()
    this.#inFlight = sending;
  }
}
