import {
  BaseStorageDriver,
  ObjectKeys,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { GcsBackend } from './gcs-backend.js';
import { createStorageClient } from './gcs-client.js';
import {
  defaultChunkSize,
  defaultMaxConcurrency,
  defaultRedirectExpirySeconds,
  type GcsDriverOptions,
} from './gcs-options.js';
import { fromParameters } from './gcs-parameters.js';
import { SignedUrls } from './gcs-signed-urls.js';
import type { GcsStore } from './gcs-store.js';
import { Regulator } from './regulator.js';

/** A driver storing in a GCS bucket, laid out as distribution's gcs driver. */
export function createGcsDriver(options: GcsDriverOptions): StorageDriver {
  const bucket = createStorageClient(options).bucket(options.bucket);
  const store: GcsStore = {
    bucket,
    keys: new ObjectKeys(options.rootDirectory),
    chunkSize: options.chunkSize ?? defaultChunkSize,
    regulator: new Regulator(options.maxConcurrency ?? defaultMaxConcurrency),
  };
  const signedUrls = new SignedUrls(
    bucket,
    options.redirectExpirySeconds ?? defaultRedirectExpirySeconds,
  );
  return new BaseStorageDriver(new GcsBackend(store, signedUrls), options);
}

/** Factory for `StorageDriverRegistry`: `storage: gcs: {...}` in config.yml. */
export function gcsDriverFactory(parameters: DriverParametersInput): StorageDriver {
  return createGcsDriver(fromParameters(parameters));
}
