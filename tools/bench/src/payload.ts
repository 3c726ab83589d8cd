import { createCipheriv, createHash, type Cipher } from 'node:crypto';

export const MiB = 1024 * 1024;

/** Content up to this size is generated once and kept in memory; larger is streamed. */
export const inMemoryLimit = 256 * MiB;

/** The first differing byte of two equally long buffers. */
function firstDifference(a: Buffer, b: Buffer): number {
  for (let index = 0; index < a.length; index += 1) if (a[index] !== b[index]) return index;
  return -1;
}

const zeros = Buffer.alloc(4 * MiB);

/**
 * Deterministic pseudo-random content of a given size: the AES-128-CTR keystream for a key and
 * counter derived from `seed`. Cheap to make (several GB/s with AES-NI), reproducible at any
 * offset, different for every seed, and incompressible, like a real layer.
 */
export class Payload {
  #memory: Buffer | undefined;
  #digest: string | undefined;
  readonly #key: Buffer;
  readonly #counter: bigint;

  constructor(
    readonly seed: string,
    readonly size: number,
  ) {
    const material = createHash('sha256').update(seed).digest();
    this.#key = material.subarray(0, 16);
    this.#counter = material.readBigUInt64BE(16) << 64n;
  }

  get inMemory(): boolean {
    return this.size <= inMemoryLimit;
  }

  /** The whole content, generated on the first call and kept; only for in-memory sizes. */
  bytes(): Buffer {
    if (!this.inMemory) throw new Error(`${this.size} bytes is too large to hold in memory`);
    this.#memory ??= this.generate(0, this.size);
    return this.#memory;
  }

  /** Bytes [start, end), freshly generated (or sliced from memory when already there). */
  generate(start: number, end: number): Buffer {
    if (start < 0 || end > this.size || start > end) {
      throw new RangeError(`[${start}, ${end}) is outside 0..${this.size}`);
    }
    if (this.#memory !== undefined) return this.#memory.subarray(start, end);
    const skip = start % 16;
    const stream = this.#keystream(start - skip);
    const out = Buffer.allocUnsafe(end - start + skip);
    fill(stream, out);
    return skip === 0 ? out : out.subarray(skip);
  }

  /** The content in pieces of at most `pieceSize` bytes, generated as they are taken. */
  *pieces(pieceSize: number, start = 0, end = this.size): Generator<Buffer> {
    for (let offset = start; offset < end; offset += pieceSize) {
      yield this.generate(offset, Math.min(end, offset + pieceSize));
    }
  }

  /** `sha256:<hex>`, computed once. */
  digest(): string {
    if (this.#digest === undefined) {
      const hash = createHash('sha256');
      if (this.inMemory) hash.update(this.bytes());
      else for (const piece of this.pieces(16 * MiB)) hash.update(piece);
      this.#digest = `sha256:${hash.digest('hex')}`;
    }
    return this.#digest;
  }

  /** Checks a download against this content piece by piece, in order. */
  verifier(): ContentVerifier {
    return new ContentVerifier(this, this.inMemory ? this.bytes() : undefined);
  }

  /** The keystream from byte `offset` (a multiple of 16) on. */
  #keystream(offset: number): Cipher {
    const counter = (this.#counter + BigInt(offset / 16)) & ((1n << 128n) - 1n);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(counter >> 64n, 0);
    iv.writeBigUInt64BE(counter & ((1n << 64n) - 1n), 8);
    return createCipheriv('aes-128-ctr', this.#key, iv);
  }

  /** Sequential generation from `offset` on, for the verifier. */
  streamFrom(offset: number): (length: number) => Buffer {
    const skip = offset % 16;
    const stream = this.#keystream(offset - skip);
    if (skip > 0) fill(stream, Buffer.allocUnsafe(skip));
    return (length) => {
      const out = Buffer.allocUnsafe(length);
      fill(stream, out);
      return out;
    };
  }
}

/** Encrypts zeros into `out`: the keystream itself. */
function fill(stream: Cipher, out: Buffer): void {
  for (let offset = 0; offset < out.length; offset += zeros.length) {
    const length = Math.min(zeros.length, out.length - offset);
    const piece = stream.update(zeros.subarray(0, length));
    piece.copy(out, offset);
  }
}

/**
 * Compares received pieces against the expected content with Buffer.compare on the matching
 * slice: byte-exact, and much cheaper than hashing, so the client is not the bottleneck.
 */
export class ContentVerifier {
  #offset = 0;
  readonly #next: ((length: number) => Buffer) | undefined;

  constructor(
    readonly payload: Payload,
    private readonly memory: Buffer | undefined,
  ) {
    this.#next = memory === undefined ? payload.streamFrom(0) : undefined;
  }

  get received(): number {
    return this.#offset;
  }

  /** Returns a description of the first difference, or undefined when the piece matches. */
  update(piece: Buffer): string | undefined {
    const start = this.#offset;
    if (start + piece.length > this.payload.size) {
      return `more than the expected ${this.payload.size} bytes (at least ${start + piece.length})`;
    }
    const expected =
      this.memory === undefined
        ? (this.#next as (length: number) => Buffer)(piece.length)
        : this.memory.subarray(start, start + piece.length);
    this.#offset += piece.length;
    if (Buffer.compare(piece, expected) === 0) return undefined;
    const at = start + firstDifference(piece, expected);
    return `byte ${at} differs (0x${hex(piece[at - start])}, expected 0x${hex(expected[at - start])})`;
  }

  /** A description of a short body, or undefined when every byte arrived. */
  finish(): string | undefined {
    return this.#offset === this.payload.size
      ? undefined
      : `${this.#offset} bytes, expected ${this.payload.size}`;
  }
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

const cache = new Map<string, Payload>();

/** One Payload per seed and size for the whole process, so digests are computed once. */
export function payload(seed: string, size: number): Payload {
  const key = `${seed}\0${size}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = new Payload(seed, size);
    cache.set(key, found);
  }
  return found;
}
