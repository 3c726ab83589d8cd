import {
  StorageDriverRegistry,
  type BaseDriverOptions,
  type DriverParametersInput,
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

/**
 * The storage drivers this server can run on, by the name config.yml gives
 * them. Built explicitly here, the composition root; each driver is wrapped
 * with `options` (the metrics hook). The cloud drivers are imported only when
 * configured: each SDK takes 10–25 MiB of memory a filesystem registry would
 * otherwise carry for nothing (docs/administration.md, "Memory"). `offline` builds drivers
 * that contact no store, for `lading config check`.
 */
export function storageDrivers(
  options: BaseDriverOptions,
  { offline = false }: { offline?: boolean } = {},
): StorageDriverRegistry {
  const s3 = async (parameters: DriverParametersInput): Promise<StorageDriver> => {
    const { createS3Driver, fromParameters } = await import('@lading/storage-driver-s3');
    return createS3Driver({ ...fromParameters(parameters), ...options });
  };
  return (
    new StorageDriverRegistry()
      .register('filesystem', (parameters) =>
        createFilesystemDriver({ ...filesystemParameters(parameters), ...options }),
      )
      .register('inmemory', (parameters) => {
        inMemoryParameters(parameters);
        return createInMemoryDriver(options);
      })
      .register('s3', s3)
      // distribution's other name for it, kept from the days of two S3 drivers.
      .register('s3aws', s3)
      .register('azure', async (parameters) => {
        const { createAzureDriver, fromParameters } = await import('@lading/storage-driver-azure');
        return createAzureDriver({ ...fromParameters(parameters), ...options });
      })
      .register('gcs', async (parameters) => {
        const { createGcsDriver, fromParameters } = await import('@lading/storage-driver-gcs');
        return createGcsDriver({ ...fromParameters(parameters), ...options });
      })
      .register('oss', async (parameters) => {
        const { createOssDriver, fromParameters } = await import('@lading/storage-driver-oss');
        return createOssDriver({ ...fromParameters(parameters), ...options });
      })
      .register('swift', async (parameters) => {
        const { createSwiftDriver, fromParameters } = await import('@lading/storage-driver-swift');
        return createSwiftDriver({ ...fromParameters(parameters), ...options, offline });
      })
  );
}

export type { StorageDriver };
