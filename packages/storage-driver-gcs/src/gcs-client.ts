import { IdempotencyStrategy, Storage, type StorageOptions } from '@google-cloud/storage';
import { defaultMaxRetries, type GcsDriverOptions } from './gcs-options.js';

/**
 * The SDK client for config.yml's settings. Credentials: a key file, an inline service
 * account, or else Application Default Credentials (workload identity, the metadata server,
 * `GOOGLE_APPLICATION_CREDENTIALS`). Every call is retried by the SDK with exponential
 * backoff: the driver's writes are all safe to repeat (whole objects, resumable chunks at a
 * known offset, composes of fixed sources), so the idempotency strategy is "always".
 */
export function createStorageClient(options: GcsDriverOptions): Storage {
  const settings: StorageOptions = {
    retryOptions: {
      autoRetry: true,
      maxRetries: options.maxRetries ?? defaultMaxRetries,
      idempotencyStrategy: IdempotencyStrategy.RetryAlways,
    },
  };
  if (options.keyFile !== undefined) settings.keyFilename = options.keyFile;
  if (options.credentials !== undefined) {
    settings.credentials = {
      client_email: options.credentials.client_email,
      private_key: options.credentials.private_key,
    };
    if (options.credentials.project_id !== undefined) {
      settings.projectId = options.credentials.project_id;
    }
  }
  if (options.endpoint !== undefined) settings.apiEndpoint = options.endpoint;
  if (options.userAgent !== undefined) settings.userAgent = options.userAgent;
  return new Storage(settings);
}
