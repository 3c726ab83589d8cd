import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Deterministic pseudo-random content with random access: the AES-128-CTR
 * keystream of a key derived from `seed`. Any byte range can be produced on
 * its own, so large contents are generated, streamed and checked piecewise
 * and never held whole in memory.
 */
export function patternBytes(seed: string, offset: number, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16);
  const block = Math.floor(offset / 16);
  const counter = Buffer.alloc(16);
  counter.writeBigUInt64BE(BigInt(block), 8);
  const skip = offset - block * 16;
  const cipher = createCipheriv('aes-128-ctr', key, counter);
  return cipher.update(Buffer.alloc(skip + length)).subarray(skip);
}

/** `size` bytes of pattern content as a stream of `chunkSize` chunks. */
export function patternStream(seed: string, size: number, chunkSize = 1024 * 1024): Readable {
  return Readable.from(patternChunks(seed, 0, size, chunkSize), { objectMode: false });
}

export function* patternChunks(
  seed: string,
  offset: number,
  end: number,
  chunkSize: number,
): Generator<Buffer> {
  for (let position = offset; position < end; position += chunkSize) {
    yield patternBytes(seed, position, Math.min(chunkSize, end - position));
  }
}

/** The sha256 hex digest of pattern content, computed piecewise. */
export function patternDigest(seed: string, size: number, offset = 0): string {
  const hash = createHash('sha256');
  for (const chunk of patternChunks(seed, offset, offset + size, 4 * 1024 * 1024)) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

export interface StreamSummary {
  readonly size: number;
  readonly sha256: string;
}

/** Consumes a stream, returning its length and sha256 hex digest. */
export async function summarize(stream: Readable): Promise<StreamSummary> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(stream, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
  });
  return { size, sha256: hash.digest('hex') };
}

/** Collects a (small) stream into one buffer. */
export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
