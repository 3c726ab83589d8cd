import { expect } from 'chai';
import {
  BaseStorageDriver,
  DriverParameters,
  InvalidDriverParameterError,
  StorageDriverError,
  StorageDriverRegistry,
  UnknownStorageDriverError,
  createStorageDriver,
  registerStorageDriver,
  type DriverParametersInput,
} from '../src/index.js';
import { RecordingBackend } from './fake-backend.js';

function recordingFactory(parameters: DriverParametersInput) {
  const reader = new DriverParameters(parameters);
  reader.integer('size', 1, { min: 1 });
  reader.rejectUnknownKeys();
  return new BaseStorageDriver(new RecordingBackend());
}

describe('StorageDriverRegistry', () => {
  it('creates a registered driver by name with its parameters', async () => {
    const registry = new StorageDriverRegistry().register('recording', recordingFactory);
    const driver = await registry.create('recording', { size: 3 });
    expect(driver.name).to.equal('recording');
    expect(registry.has('recording')).to.equal(true);
    expect(registry.names()).to.deep.equal(['recording']);
  });

  it('names the known drivers when asked for an unknown one', async () => {
    const registry = new StorageDriverRegistry()
      .register('s3', recordingFactory)
      .register('filesystem', recordingFactory);
    try {
      await registry.create('s4');
      expect.fail('create should fail');
    } catch (error) {
      expect(error).to.be.instanceOf(UnknownStorageDriverError);
      expect((error as Error).message).to.equal(
        'unknown storage driver "s4" (known: filesystem, s3)',
      );
    }
  });

  it('stamps the driver name on parameter errors, naming the key', async () => {
    const registry = new StorageDriverRegistry().register('recording', recordingFactory);
    for (const [parameters, key] of [
      [{ size: 0 }, 'size'],
      [{ sise: 2 }, 'sise'],
    ] as const) {
      try {
        await registry.create('recording', parameters);
        expect.fail('create should fail');
      } catch (error) {
        expect(error).to.be.instanceOf(InvalidDriverParameterError);
        expect((error as InvalidDriverParameterError).key).to.equal(key);
        expect((error as Error).message).to.match(
          new RegExp(`^recording: invalid parameter "${key}"`),
        );
      }
    }
  });

  it('lets other factory errors through untouched', async () => {
    const failure = new Error('cannot reach bucket');
    const registry = new StorageDriverRegistry().register('broken', () => {
      throw failure;
    });
    try {
      await registry.create('broken');
      expect.fail('create should fail');
    } catch (error) {
      expect(error).to.equal(failure);
    }
  });

  it('refuses duplicate and malformed names', () => {
    const registry = new StorageDriverRegistry().register('a', recordingFactory);
    expect(() => registry.register('a', recordingFactory)).to.throw(
      StorageDriverError,
      /already registered/,
    );
    expect(() => registry.register('Bad Name', recordingFactory)).to.throw(
      StorageDriverError,
      /must match/,
    );
  });

  it('has a process-wide default for plugins', async () => {
    registerStorageDriver('plugin-example', recordingFactory);
    expect((await createStorageDriver('plugin-example')).name).to.equal('recording');
  });
});
