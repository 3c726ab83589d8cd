import {
  BaseStorageDriver,
  ObjectKeys,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { AzureBackend } from './azure-backend.js';
import { connect } from './azure-client.js';
import {
  defaultBlockSize,
  defaultCopyStatusPollDelayMs,
  defaultCopyStatusPollMaxRetry,
  defaultListPageSize,
  defaultRedirectExpirySeconds,
  type AzureDriverOptions,
} from './azure-options.js';
import { fromParameters } from './azure-parameters.js';
import type { AzureStore } from './azure-store.js';

/** A driver storing in an Azure Blob container, laid out as distribution's azure driver. */
export function createAzureDriver(options: AzureDriverOptions): StorageDriver {
  const { container, signReadUrl, redirects } = connect(options);
  const store: AzureStore = {
    container,
    signReadUrl,
    redirects,
    keys: new ObjectKeys(options.rootDirectory),
    blockSize: options.blockSize ?? defaultBlockSize,
    listPageSize: options.listPageSize ?? defaultListPageSize,
    copyStatusPollMaxRetry: options.copyStatusPollMaxRetry ?? defaultCopyStatusPollMaxRetry,
    copyStatusPollDelayMs: options.copyStatusPollDelayMs ?? defaultCopyStatusPollDelayMs,
  };
  const backend = new AzureBackend(
    store,
    options.redirectExpirySeconds ?? defaultRedirectExpirySeconds,
  );
  return new BaseStorageDriver(backend, options);
}

/** Factory for `StorageDriverRegistry`: `storage: azure: {...}` in config.yml. */
export function azureDriverFactory(parameters: DriverParametersInput): StorageDriver {
  return createAzureDriver(fromParameters(parameters));
}
