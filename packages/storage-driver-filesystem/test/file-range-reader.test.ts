import { expect } from 'chai';
import { mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeRecycling, recycleChunk } from '@lading/storage-driver';
import { FileRangeReader } from '../src/file-range-reader.js';

/** The next chunk of a paused stream (it buffers one chunk at most). */
async function nextChunk(stream: FileRangeReader): Promise<Buffer> {
  for (;;) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) return chunk;
    await once(stream, 'readable');
  }
}

describe('FileRangeReader', () => {
  let directory: string;
  let path: string;
  const content = Buffer.from(Array.from({ length: 1000 }, (_, index) => index % 251));

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-range-reader-'));
    path = join(directory, 'data');
    await writeFile(path, content);
  });
  after(() => rm(directory, { recursive: true, force: true }));

  /** A reader of [start, end) in `chunk`-byte reads, and a count of its close callbacks. */
  async function reader(start: number, end: number, chunk: number) {
    const closes = { count: 0 };
    const stream = new FileRangeReader(await open(path, 'r'), start, end, chunk, () => {
      closes.count += 1;
    });
    return { stream, closes };
  }

  /** A destination that keeps each chunk's memory (to compare) and copies its bytes. */
  function collector() {
    const memories: ArrayBufferLike[] = [];
    const copies: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        memories.push(chunk.buffer);
        copies.push(Buffer.from(chunk));
        setImmediate(callback);
      },
    });
    return { sink, memories, copies };
  }

  it('reads the range into the buffers handed back, a few for the whole file', async () => {
    const { stream, closes } = await reader(100, 1000, 64);
    const { sink, memories, copies } = collector();
    await pipeRecycling(stream, sink);
    expect(Buffer.concat(copies).equals(content.subarray(100))).to.equal(true);
    expect(memories).to.have.length(15);
    expect(new Set(memories).size).to.be.at.most(4);
    expect(closes.count).to.equal(1);
  });

  it('allocates for every read when nothing is handed back, and never reuses a chunk', async () => {
    const { stream } = await reader(0, 1000, 100);
    const { sink, memories, copies } = collector();
    await pipeline(stream, sink);
    expect(Buffer.concat(copies).equals(content)).to.equal(true);
    expect(new Set(memories).size).to.equal(10);
  });

  it('ignores chunks it did not make and chunks handed back twice', async () => {
    const { stream } = await reader(0, 1000, 100);
    const first = await nextChunk(stream);
    const foreign = Buffer.alloc(100);
    stream[recycleChunk](first);
    stream[recycleChunk](first);
    stream[recycleChunk](foreign);
    // Held, never handed back: one may reuse the first chunk's memory, but only one.
    const held = [await nextChunk(stream), await nextChunk(stream), await nextChunk(stream)];
    expect(new Set(held.map((chunk) => chunk.buffer)).size).to.equal(3);
    expect(held.some((chunk) => chunk.buffer === foreign.buffer)).to.equal(false);
    expect(held.map((chunk) => chunk[0])).to.deep.equal([100, 200 % 251, 300 % 251]);
    stream.destroy();
    await once(stream, 'close');
    stream[recycleChunk](held[0]!);
  });

  it('ends early, as Node’s file streams do, when the file is cut short while it reads', async () => {
    const short = join(directory, 'short');
    await writeFile(short, content);
    const stream = new FileRangeReader(await open(short, 'r'), 0, 1000, 100, () => undefined);
    await truncate(short, 250);
    const { sink, copies } = collector();
    await pipeRecycling(stream, sink);
    expect(Buffer.concat(copies).equals(content.subarray(0, 250))).to.equal(true);
  });

  it('fails, closing the file, when a read fails', async () => {
    const handle = await open(path, 'r');
    const failing = Object.assign(Object.create(handle) as typeof handle, {
      read: () => Promise.reject(new Error('EIO: i/o error')),
      close: () => handle.close(),
    });
    let closed = 0;
    const stream = new FileRangeReader(failing, 0, 1000, 100, () => (closed += 1));
    const { sink } = collector();
    const failure = await pipeRecycling(stream, sink).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).to.equal('EIO: i/o error');
    expect(closed).to.equal(1);
    expect(handle.fd).to.equal(-1);
  });
});
