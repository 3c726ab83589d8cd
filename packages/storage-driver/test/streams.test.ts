import { expect } from 'chai';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { BaseStorageDriver, fileWriterStream, type FileWriter } from '../src/index.js';
import { RecordingBackend, RecordingWriter } from './fake-backend.js';

describe('fileWriterStream', () => {
  it('writes each chunk through the writer, in order, without committing', async () => {
    const backend = new RecordingBackend();
    const writer = await new BaseStorageDriver(backend).writer('/f');
    await pipeline(Readable.from([Buffer.alloc(3), Buffer.alloc(5)]), fileWriterStream(writer));
    expect(writer.size).to.equal(8);
    expect(backend.calls).to.deep.equal(['writer /f false', 'write 3', 'write 5']);
  });

  it('fails the pipeline when a write fails', async () => {
    const backend = new RecordingBackend();
    const inner = new RecordingWriter(backend.calls);
    backend.writerFactory = () => inner;
    const writer = await new BaseStorageDriver(backend).writer('/f');
    inner.failNext = new Error('disk full');
    try {
      await pipeline(Readable.from([Buffer.alloc(3)]), fileWriterStream(writer));
      expect.fail('pipeline should fail');
    } catch (error) {
      expect((error as Error).message).to.equal('recording: disk full');
    }
  });

  it('gathers the chunks that arrive during a write into the next write, in order', async () => {
    const written: Buffer[] = [];
    const writer = slowWriter(written);
    const stream = fileWriterStream(writer);
    stream.write(Buffer.from('ab'));
    stream.write(Buffer.from('cd'));
    stream.write(Buffer.from('ef'));
    stream.end(Buffer.from('g'));
    await once(stream, 'finish');
    expect(written.map(String)).to.deep.equal(['ab', 'cdefg']);
    expect(writer.size).to.equal(7);
  });

  it('pushes back on the source once batchBytes are waiting', () => {
    const stream = fileWriterStream(slowWriter([]), 8);
    expect(stream.write(Buffer.alloc(4))).to.equal(true);
    expect(stream.write(Buffer.alloc(4))).to.equal(false);
    stream.destroy();
  });
});

/** A writer whose writes each take a turn of the event loop, recording what they got. */
function slowWriter(written: Buffer[]): FileWriter {
  let size = 0;
  return {
    get size() {
      return size;
    },
    async write(chunk) {
      await new Promise((resolve) => setImmediate(resolve));
      written.push(Buffer.from(chunk));
      size += chunk.byteLength;
    },
    close: () => Promise.resolve(),
    commit: () => Promise.resolve(),
    cancel: () => Promise.resolve(),
  };
}
