import { expect } from 'chai';
import {
  BaseStorageDriver,
  FileWriterStateError,
  PathNotFoundError,
  StorageDriverError,
} from '../src/index.js';
import { RecordingBackend, RecordingWriter } from './fake-backend.js';

describe('BaseStorageDriver writers', () => {
  let backend: RecordingBackend;
  let inner: RecordingWriter;
  let driver: BaseStorageDriver;

  beforeEach(() => {
    backend = new RecordingBackend();
    driver = new BaseStorageDriver(backend);
    backend.writerFactory = () => {
      inner = new RecordingWriter(backend.calls);
      return inner;
    };
  });

  async function expectState(promise: Promise<unknown>, state: string): Promise<void> {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(FileWriterStateError);
      expect((error as Error).message).to.contain(`already ${state}`);
      expect((error as StorageDriverError).driverName).to.equal('recording');
      return;
    }
    throw new Error('expected a FileWriterStateError');
  }

  it('serializes calls made without awaiting, in order', async () => {
    const writer = await driver.writer('/f');
    await Promise.all([
      writer.write(Buffer.alloc(1)),
      writer.write(Buffer.alloc(2)),
      writer.write(Buffer.alloc(3)),
      writer.commit(),
    ]);
    expect(backend.calls.slice(1)).to.deep.equal(['write 1', 'write 2', 'write 3', 'commit']);
    expect(writer.size).to.equal(6);
  });

  it('never passes empty chunks to the backend', async () => {
    const writer = await driver.writer('/f');
    await writer.write(new Uint8Array(0));
    expect(backend.calls).to.deep.equal(['writer /f false']);
  });

  it('refuses use after commit, but close is then a no-op', async () => {
    const writer = await driver.writer('/f');
    await writer.commit();
    await expectState(writer.write(Buffer.alloc(1)), 'committed');
    await expectState(writer.commit(), 'committed');
    await expectState(writer.cancel(), 'committed');
    await writer.close();
    expect(backend.calls.slice(1)).to.deep.equal(['commit']);
  });

  it('refuses use after cancel and after close; close is idempotent', async () => {
    const cancelled = await driver.writer('/f');
    await cancelled.cancel();
    await expectState(cancelled.write(Buffer.alloc(1)), 'cancelled');
    const closed = await driver.writer('/g');
    await closed.close();
    await closed.close();
    await expectState(closed.write(Buffer.alloc(1)), 'closed');
    await expectState(closed.commit(), 'closed');
    expect(backend.calls.filter((call) => call === 'close')).to.have.length(1);
  });

  it('stays open after a failed commit so it can be retried', async () => {
    const writer = await driver.writer('/f');
    inner.failNext = new Error('disk full');
    try {
      await writer.commit();
      expect.fail('commit should fail');
    } catch (error) {
      expect(error).to.be.instanceOf(StorageDriverError);
      expect((error as StorageDriverError).message).to.equal('recording: disk full');
      expect((error as StorageDriverError).path).to.equal('/f');
    }
    await writer.commit();
    expect(backend.calls.slice(1)).to.deep.equal(['commit', 'commit']);
  });

  it('keeps going after a failed write, and stamps typed errors', async () => {
    const writer = await driver.writer('/f');
    inner.failNext = new PathNotFoundError('/f');
    const failed = writer.write(Buffer.alloc(1));
    const next = writer.write(Buffer.alloc(2));
    try {
      await failed;
      expect.fail('write should fail');
    } catch (error) {
      expect((error as StorageDriverError).message).to.equal('recording: path not found: /f');
    }
    await next;
    expect(writer.size).to.equal(2);
  });
});
