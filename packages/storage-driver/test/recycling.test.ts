import { expect } from 'chai';
import { Readable, Writable } from 'node:stream';
import {
  isRecyclingReadable,
  pipeRecycling,
  recycleChunk,
  type RecyclingReadable,
} from '../src/index.js';

/**
 * A recycling reader of `chunks` chunks of `size` bytes, chunk n filled with byte n, from a
 * pool of buffers it refills as soon as they come back: a chunk handed back too early would be
 * overwritten before its destination copied it.
 */
class PatternReader extends Readable implements RecyclingReadable {
  readonly pool: Buffer[] = [];
  readonly recycled: number[] = [];
  allocated = 0;
  #next = 0;

  constructor(
    private readonly chunks: number,
    private readonly size: number,
  ) {
    // Reads ahead several chunks, so a buffer handed back early is refilled at once.
    super({ highWaterMark: 4 * size });
  }

  override _read(): void {
    if (this.#next === this.chunks) {
      this.push(null);
      return;
    }
    const buffer = this.pool.pop() ?? Buffer.alloc(this.size, 0xff);
    if (buffer[0] === 0xff) this.allocated += 1;
    buffer.fill(this.#next);
    this.#next += 1;
    this.push(buffer);
  }

  [recycleChunk](chunk: Uint8Array): void {
    this.recycled.push(chunk[0] ?? -1);
    this.pool.push(chunk as Buffer);
  }
}

/**
 * A destination that, like a socket, keeps each chunk it was given and copies it only when
 * its write completes, `delayMs` later.
 */
function slowCopyingDestination(
  delayMs: number,
  highWaterMark = 1,
): { sink: Writable; received: Buffer[] } {
  const received: Buffer[] = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        received.push(Buffer.from(chunk));
        callback();
      }, delayMs);
    },
  });
  return { sink, received };
}

describe('pipeRecycling', () => {
  it('hands every chunk back only after the destination wrote it, and the bytes arrive intact', async () => {
    const reader = new PatternReader(20, 1024);
    const { sink, received } = slowCopyingDestination(2);
    await pipeRecycling(reader, sink);
    expect(received.map((chunk) => chunk[0])).to.deep.equal([...Array(20).keys()]);
    for (const [index, chunk] of received.entries()) {
      expect(chunk.equals(Buffer.alloc(1024, index)), `chunk ${index}`).to.equal(true);
    }
    expect(reader.recycled).to.deep.equal([...Array(20).keys()]);
    // The reader read 20 chunks into a handful of buffers.
    expect(reader.allocated).to.be.below(10);
  });

  it('also when the destination takes chunks without pushing back', async () => {
    const reader = new PatternReader(20, 1024);
    const { sink, received } = slowCopyingDestination(1, 64 * 1024);
    await pipeRecycling(reader, sink);
    expect(received.map((chunk) => chunk[0])).to.deep.equal([...Array(20).keys()]);
    expect(received.every((chunk, index) => chunk.equals(Buffer.alloc(1024, index)))).to.equal(
      true,
    );
    expect(reader.recycled).to.have.length(20);
  });

  it('pipes a stream that does not recycle as pipeline does', async () => {
    const plain = Readable.from([Buffer.from('ab'), Buffer.from('cd')]);
    expect(isRecyclingReadable(plain)).to.equal(false);
    const { sink, received } = slowCopyingDestination(0);
    await pipeRecycling(plain, sink);
    expect(Buffer.concat(received).toString()).to.equal('abcd');
  });

  it('stops reading and rejects when the destination closes early, as a client that leaves', async () => {
    const reader = new PatternReader(1000, 1024);
    const { sink } = slowCopyingDestination(1);
    setTimeout(() => sink.destroy(), 10);
    const failure = await pipeRecycling(reader, sink).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).to.match(/premature close/i);
    expect(reader.destroyed).to.equal(true);
    expect(reader.recycled.length).to.be.below(1000);
  });

  it('destroys the destination when the source fails, so the response is not left open', async () => {
    const reader = new PatternReader(1000, 1024);
    const { sink } = slowCopyingDestination(0);
    setTimeout(() => reader.destroy(new Error('disk gone')), 5);
    const failure = await pipeRecycling(reader, sink).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).to.equal('disk gone');
    expect(sink.destroyed).to.equal(true);
  });

  it('fails with the destination when a write fails', async () => {
    const reader = new PatternReader(10, 16);
    const sink = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('broken pipe'));
      },
    });
    const failure = await pipeRecycling(reader, sink).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).to.equal('broken pipe');
    expect(reader.destroyed).to.equal(true);
  });
});
