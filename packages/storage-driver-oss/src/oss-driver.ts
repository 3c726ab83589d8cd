import {
  BaseStorageDriver,
  ObjectKeys,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { OssBackend } from './oss-backend.js';
import { createOssClient, isIpEndpoint, withRetries } from './oss-client.js';
import {
  defaultChunkSize,
  defaultCopyChunkSize,
  defaultCopyConcurrency,
  defaultMaxAttempts,
  defaultRedirectExpirySeconds,
  maximumCopyObjectSize,
  type OssDriverOptions,
} from './oss-options.js';
import { fromParameters } from './oss-parameters.js';
import { newObjectHeaders, type OssStore } from './oss-store.js';

/** A driver storing in an Aliyun OSS bucket, laid out as distribution's oss driver. */
export function createOssDriver(options: OssDriverOptions): StorageDriver {
  const client = createOssClient(options);
  const maxAttempts = options.maxAttempts ?? defaultMaxAttempts;
  const store: OssStore = {
    client,
    bucket: options.bucket,
    keys: new ObjectKeys(options.rootDirectory),
    newObjectHeaders: newObjectHeaders(options),
    chunkSize: options.chunkSize ?? defaultChunkSize,
    copyChunkSize: options.copyChunkSize ?? defaultCopyChunkSize,
    copyThresholdSize: Math.min(
      options.copyThresholdSize ?? maximumCopyObjectSize,
      maximumCopyObjectSize,
    ),
    copyConcurrency: defaultCopyConcurrency,
    call: (request) => withRetries(maxAttempts, () => request(client)),
  };
  const backend = new OssBackend(
    store,
    options.redirectExpirySeconds ?? defaultRedirectExpirySeconds,
    options.endpoint === undefined || !isIpEndpoint(options.endpoint),
  );
  return new BaseStorageDriver(backend, options);
}

/** Factory for `StorageDriverRegistry`: `storage: oss: {...}` in config.yml. */
export function ossDriverFactory(parameters: DriverParametersInput): StorageDriver {
  return createOssDriver(fromParameters(parameters));
}
