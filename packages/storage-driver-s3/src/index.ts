export { createS3Driver, s3DriverFactory } from './s3-driver.js';
export { fromParameters } from './s3-parameters.js';
export {
  defaultChunkSize,
  defaultMaxAttempts,
  defaultMultipartCopyChunkSize,
  defaultMultipartCopyMaxConcurrency,
  defaultMultipartCopyThresholdSize,
  defaultRedirectExpirySeconds,
  minimumPartSize,
  objectAcls,
  storageClasses,
} from './s3-options.js';
export type { ObjectAcl, S3Credentials, S3DriverOptions, StorageClass } from './s3-options.js';
