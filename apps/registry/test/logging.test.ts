import { expect } from 'chai';
import { Writable } from 'node:stream';
import { StorageDriverError } from '@lading/storage-driver';
import { createLogger } from '../src/logging.js';

describe('createLogger', () => {
  it('logs an error with its cause as a field, each message once', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger(
      { level: 'info', fields: { environment: 'test' } },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    );
    const cause = new Error('The specified bucket does not exist.');
    const error = new StorageDriverError(cause.message, { driverName: 'gcs', cause });
    logger.error({ err: error }, 'storage failed');
    const [line] = lines;
    expect(line).to.include({ level: 'error', msg: 'storage failed', environment: 'test' });
    const err = line?.err as { message: string; type: string; cause: { message: string } };
    expect(err.message).to.equal('gcs: The specified bucket does not exist.');
    expect(err.type).to.equal('StorageDriverError');
    expect(err.cause.message).to.equal('The specified bucket does not exist.');
  });
});
