import { Worker } from 'node:worker_threads';
import type { DigestAlgorithm } from '@lading/oci';

/**
 * The worker's code, inline so that it runs the same from `src` under tsx and
 * from `dist`, with no file to locate. Messages arrive in order: updates
 * feed a hash (acknowledged with their length, for backpressure), `digest`
 * answers the digest of everything so far, `drop` forgets a hash.
 */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (message) => {
  try {
    if (message.op === 'update') {
      let hash = hashes.get(message.id);
      if (hash === undefined) {
        hash = createHash(message.algorithm);
        hashes.set(message.id, hash);
      }
      hash.update(new Uint8Array(message.buffer, message.offset, message.length));
      parentPort.postMessage({ op: 'ack', id: message.id, length: message.length });
    } else if (message.op === 'digest') {
      const hash = hashes.get(message.id) ?? createHash(message.algorithm);
      parentPort.postMessage({ op: 'digest', id: message.id, seq: message.seq, hex: hash.copy().digest('hex') });
    } else if (message.op === 'drop') {
      hashes.delete(message.id);
    }
  } catch (error) {
    parentPort.postMessage({ op: 'error', id: message.id, seq: message.seq, message: String(error && error.message) });
  }
});
`;

type Reply =
  | { op: 'ack'; id: number; length: number }
  | { op: 'digest'; id: number; seq: number; hex: string }
  | { op: 'error'; id: number; seq?: number; message: string };

/** Bytes gathered into one message to the worker. */
const messageBytes = 1024 * 1024;

/** How many bytes one hash may have waiting for the worker before `update` makes its caller wait. */
const maxQueuedBytes = 8 * 1024 * 1024;

/**
 * Running hashes computed on one worker thread. Receiving an upload and
 * hashing it are each about half a core's work per GB/s; on the main thread
 * they took turns, so a 256 MiB upload ran at 600 MB/s. With the hash on its
 * own thread the two overlap (docs/performance.md). The worker starts on
 * first use and does not keep the process alive.
 */
export class HashWorker {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #hashes = new Map<number, OffThreadDigest>();

  /** A new running hash of `algorithm`, at zero bytes. */
  start(algorithm: DigestAlgorithm): OffThreadDigest {
    const id = this.#nextId;
    this.#nextId += 1;
    const digest = new OffThreadDigest(this, id, algorithm);
    this.#hashes.set(id, digest);
    return digest;
  }

  /** Stops the worker; running hashes fail. A later `start` starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  /** @internal */
  post(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): void {
    this.worker().postMessage(message, transfer);
  }

  /** @internal */
  forget(id: number): void {
    if (!this.#hashes.delete(id) || this.#worker === undefined) return;
    this.#worker.postMessage({ op: 'drop', id });
  }

  private worker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(workerSource, { eval: true });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      this.#hashes.get(reply.id)?.receive(reply);
    });
    const fail = (error: Error): void => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const digest of this.#hashes.values()) digest.fail(error);
      this.#hashes.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`the hashing worker exited (code ${String(code)})`));
    });
    this.#worker = worker;
    return worker;
  }
}

/** One running hash on the worker: fed in order, read asynchronously. */
export class OffThreadDigest {
  #size = 0;
  /** Bytes copied but not yet sent, in `#staging`. */
  #staging: Buffer | undefined;
  #staged = 0;
  #queuedBytes = 0;
  #nextSeq = 1;
  #failure: Error | undefined;
  readonly #waitingDigests = new Map<number, (result: string | Error) => void>();
  #drained: (() => void) | undefined;

  constructor(
    private readonly owner: HashWorker,
    private readonly id: number,
    readonly algorithm: DigestAlgorithm,
  ) {}

  /** Bytes fed so far. */
  get size(): number {
    return this.#size;
  }

  /**
   * Feeds `chunk`, which is copied: the caller keeps its buffer. Copies are
   * gathered into 1 MiB messages. Resolves at once unless more than 8 MiB are
   * waiting to be hashed.
   */
  async update(chunk: Uint8Array): Promise<void> {
    this.throwIfFailed();
    this.#size += chunk.byteLength;
    for (let taken = 0; taken < chunk.byteLength;) {
      this.#staging ??= Buffer.allocUnsafeSlow(messageBytes);
      const copied = Math.min(messageBytes - this.#staged, chunk.byteLength - taken);
      this.#staging.set(chunk.subarray(taken, taken + copied), this.#staged);
      this.#staged += copied;
      taken += copied;
      if (this.#staged === messageBytes) this.send();
    }
    if (this.#queuedBytes > maxQueuedBytes) {
      await new Promise<void>((resolve) => (this.#drained = resolve));
      this.throwIfFailed();
    }
  }

  private throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Hands the staged bytes to the worker (the buffer itself: it is ours alone). */
  private send(): void {
    const staging = this.#staging;
    if (staging === undefined || this.#staged === 0) return;
    const length = this.#staged;
    this.#staging = undefined;
    this.#staged = 0;
    this.#queuedBytes += length;
    const buffer = staging.buffer as ArrayBuffer;
    this.owner.post(
      { op: 'update', id: this.id, algorithm: this.algorithm, buffer, offset: 0, length },
      [buffer],
    );
  }

  /** `algorithm:hex` of everything fed so far; the hash can go on afterwards. */
  digest(): Promise<string> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    this.send();
    const seq = this.#nextSeq;
    this.#nextSeq += 1;
    return new Promise((resolve, reject) => {
      this.#waitingDigests.set(seq, (result) => {
        if (result instanceof Error) reject(result);
        else resolve(`${this.algorithm}:${result}`);
      });
      this.owner.post({ op: 'digest', id: this.id, seq, algorithm: this.algorithm });
    });
  }

  /** Frees the worker's state; the hash cannot be used afterwards. */
  dispose(): void {
    this.fail(new Error('the running hash was disposed'));
    this.owner.forget(this.id);
  }

  /** @internal */
  receive(reply: Reply): void {
    if (reply.op === 'ack') {
      this.#queuedBytes -= reply.length;
      if (this.#queuedBytes <= maxQueuedBytes) this.release();
    } else if (reply.op === 'digest') {
      this.settle(reply.seq, reply.hex);
    } else {
      this.fail(new Error(`hashing failed: ${reply.message}`));
    }
  }

  /** @internal */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const seq of [...this.#waitingDigests.keys()]) this.settle(seq, this.#failure);
    this.release();
  }

  private settle(seq: number, result: string | Error): void {
    const waiting = this.#waitingDigests.get(seq);
    this.#waitingDigests.delete(seq);
    waiting?.(result);
  }

  private release(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.();
  }
}
