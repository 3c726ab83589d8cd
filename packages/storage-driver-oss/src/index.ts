export { createOssDriver, ossDriverFactory } from './oss-driver.js';
export { fromParameters } from './oss-parameters.js';
export {
  defaultChunkSize,
  defaultCopyChunkSize,
  defaultMaxAttempts,
  defaultRedirectExpirySeconds,
  defaultRequestTimeoutMs,
  maximumCopyObjectSize,
  minimumChunkSize,
  minimumPartSize,
} from './oss-options.js';
export type { OssDriverOptions } from './oss-options.js';
