import {
  StorageDriverRegistry,
  type BaseDriverOptions,
  type StorageDriver,
} from '@lading/storage-driver';
import {
  createFilesystemDriver,
  fromParameters as filesystemParameters,
} from '@lading/storage-driver-filesystem';
import {
  createInMemoryDriver,
  fromParameters as inMemoryParameters,
} from '@lading/storage-driver-inmemory';
import { createS3Driver, fromParameters as s3Parameters } from '@lading/storage-driver-s3';
import { createAzureDriver, fromParameters as azureParameters } from '@lading/storage-driver-azure';

/**
 * The storage drivers this server can run on, by the name config.yml gives
 * them. Built explicitly here, the composition root; each driver is wrapped
 * with `options` (the metrics hook).
 */
export function storageDrivers(options: BaseDriverOptions): StorageDriverRegistry {
  return (
    new StorageDriverRegistry()
      .register('filesystem', (parameters) =>
        createFilesystemDriver({ ...filesystemParameters(parameters), ...options }),
      )
      .register('inmemory', (parameters) => {
        inMemoryParameters(parameters);
        return createInMemoryDriver(options);
      })
      .register('s3', (parameters) => createS3Driver({ ...s3Parameters(parameters), ...options }))
      // distribution's other name for it, kept from the days of two S3 drivers.
      .register('s3aws', (parameters) =>
        createS3Driver({ ...s3Parameters(parameters), ...options }),
      )
      .register('azure', (parameters) =>
        createAzureDriver({ ...azureParameters(parameters), ...options }),
      )
  );
}

export type { StorageDriver };
