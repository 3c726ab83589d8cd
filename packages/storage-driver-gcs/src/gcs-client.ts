import { readFileSync } from 'node:fs';
import { IdempotencyStrategy, Storage, type StorageOptions } from '@google-cloud/storage';
import { InvalidDriverParameterError } from '@lading/storage-driver';
import { defaultMaxRetries, type GcsDriverOptions } from './gcs-options.js';

/**
 * The SDK client for config.yml's settings. Credentials: a key file, an inline service
 * account, or else Application Default Credentials (workload identity, the metadata server,
 * `GOOGLE_APPLICATION_CREDENTIALS`). Every call is retried by the SDK with exponential
 * backoff: the driver's writes are all safe to repeat (whole objects, resumable chunks at a
 * known offset, composes of fixed sources), so the idempotency strategy is "always".
 */
export function createStorageClient(options: GcsDriverOptions): Storage {
  if (options.keyFile !== undefined) checkKeyFile(options.keyFile);
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

/**
 * Reads the key file now, as distribution does, so that a missing or unreadable one stops
 * start-up (and `lading config check`) instead of surfacing at the first request, or, for
 * redirects, never: signing would quietly fail and the registry serve every blob itself.
 */
function checkKeyFile(path: string): void {
  let key: unknown;
  try {
    key = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidDriverParameterError(
      'keyfile',
      `cannot read ${path} as JSON: ${String(error)}`,
    );
  }
  const fields = typeof key === 'object' && key !== null ? (key as Record<string, unknown>) : {};
  // A service account key has these; an authorized-user or external-account file does not sign.
  if (typeof fields.client_email !== 'string' || typeof fields.private_key !== 'string') {
    throw new InvalidDriverParameterError(
      'keyfile',
      `${path} is not a service-account key (no client_email and private_key)`,
    );
  }
}
