export { createGcsDriver, gcsDriverFactory } from './gcs-driver.js';
export { fromParameters } from './gcs-parameters.js';
export {
  chunkAlignment,
  componentLimit,
  composeSourceLimit,
  defaultChunkSize,
  defaultMaxConcurrency,
  defaultMaxRetries,
  defaultRedirectExpirySeconds,
} from './gcs-options.js';
export type { GcsDriverOptions, ServiceAccountCredentials } from './gcs-options.js';
