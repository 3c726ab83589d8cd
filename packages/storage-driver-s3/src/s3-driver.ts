import {
  BaseStorageDriver,
  ObjectKeys,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { S3Backend } from './s3-backend.js';
import { createS3Client } from './s3-client.js';
import {
  defaultChunkSize,
  defaultMultipartCopyChunkSize,
  defaultMultipartCopyMaxConcurrency,
  defaultMultipartCopyThresholdSize,
  defaultRedirectExpirySeconds,
  type S3DriverOptions,
} from './s3-options.js';
import { fromParameters } from './s3-parameters.js';
import { newObjectSettings, type S3Store } from './s3-store.js';

/** A driver storing in an S3 (or S3-compatible) bucket, laid out as distribution's s3 driver. */
export function createS3Driver(options: S3DriverOptions): StorageDriver {
  const store: S3Store = {
    client: createS3Client(options),
    bucket: options.bucket,
    keys: new ObjectKeys(options.rootDirectory),
    newObject: newObjectSettings(options),
    chunkSize: options.chunkSize ?? defaultChunkSize,
    copyChunkSize: options.multipartCopyChunkSize ?? defaultMultipartCopyChunkSize,
    copyThresholdSize: options.multipartCopyThresholdSize ?? defaultMultipartCopyThresholdSize,
    copyConcurrency: options.multipartCopyMaxConcurrency ?? defaultMultipartCopyMaxConcurrency,
  };
  const backend = new S3Backend(
    store,
    options.redirectExpirySeconds ?? defaultRedirectExpirySeconds,
  );
  return new BaseStorageDriver(backend, options);
}

/** Factory for `StorageDriverRegistry`: `storage: s3: {...}` in config.yml. */
export function s3DriverFactory(parameters: DriverParametersInput): StorageDriver {
  return createS3Driver(fromParameters(parameters));
}
