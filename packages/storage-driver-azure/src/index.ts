export { azureDriverFactory, createAzureDriver } from './azure-driver.js';
export { fromParameters } from './azure-parameters.js';
export {
  defaultBlockSize,
  defaultCopyStatusPollDelayMs,
  defaultCopyStatusPollMaxRetry,
  defaultMaxRetries,
  defaultRealm,
  defaultRedirectExpirySeconds,
  defaultRetryDelayMs,
} from './azure-options.js';
export type { AzureCredentials, AzureDriverOptions } from './azure-options.js';
