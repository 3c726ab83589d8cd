import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes on bytes `skip` to `skip + keep` of what flows through and drops the rest, counting
 * everything in `received`. A resumable chunk that overlaps what is stored has its first
 * `skip` bytes dropped; a non-final chunk keeps whole multiples of 256 KiB only.
 */
export class ChunkSlicer extends Transform {
  received = 0;

  constructor(
    private readonly skip: number,
    private readonly keep: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const offset = this.received;
    this.received += chunk.length;
    const from = Math.max(0, this.skip - offset);
    const to = Math.min(chunk.length, this.skip + this.keep - offset);
    done(null, to > from ? chunk.subarray(from, to) : undefined);
  }
}
