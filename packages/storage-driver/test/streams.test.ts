import { expect } from 'chai';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BaseStorageDriver, fileWriterStream } from '../src/index.js';
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
});
