import {
  BaseStorageDriver,
  DriverParameters,
  type BaseDriverOptions,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { InMemoryBackend } from './inmemory-backend.js';

export type InMemoryDriverOptions = BaseDriverOptions;

/**
 * A driver that keeps everything in this process's memory: for tests and
 * ephemeral registries. Content is gone when the process ends.
 */
export function createInMemoryDriver(options: InMemoryDriverOptions = {}): StorageDriver {
  return new BaseStorageDriver(new InMemoryBackend(), options);
}

/** The `inmemory` driver takes no parameters; any key is a mistake. */
export function fromParameters(parameters: DriverParametersInput): InMemoryDriverOptions {
  new DriverParameters(parameters).rejectUnknownKeys();
  return {};
}

/** Factory for `StorageDriverRegistry`: `storage: inmemory: {}` in config.yml. */
export function inMemoryDriverFactory(parameters: DriverParametersInput): StorageDriver {
  return createInMemoryDriver(fromParameters(parameters));
}
