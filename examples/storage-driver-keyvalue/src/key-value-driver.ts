import {
  BaseStorageDriver,
  DriverParameters,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { KeyValueBackend } from './key-value-backend.js';
import { MapStore, type KeyValueStore } from './key-value-store.js';

/** The driver: our backend inside the base wrapper, which checks every path first. */
export function createKeyValueDriver(store: KeyValueStore): StorageDriver {
  return new BaseStorageDriver(new KeyValueBackend(store));
}

/** Builds the driver from config.yml's `storage: keyvalue: {...}` parameters. */
export function keyValueDriverFactory(parameters: DriverParametersInput): StorageDriver {
  const reader = new DriverParameters(parameters);
  const store = reader.string('store', 'memory');
  reader.rejectUnknownKeys();
  if (store !== 'memory') throw new Error(`store "${store}" is not supported in this example`);
  return createKeyValueDriver(new MapStore());
}
