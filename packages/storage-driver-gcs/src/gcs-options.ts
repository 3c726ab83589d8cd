import type { BaseDriverOptions } from '@lading/storage-driver';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** GCS takes resumable-upload chunks in multiples of 256 KiB (all but the last). */
export const chunkAlignment = 256 * KiB;
/** distribution's default chunk size. */
export const defaultChunkSize = 16 * MiB;
/** How long a signed redirect URL stays valid: distribution's 20 minutes. */
export const defaultRedirectExpirySeconds = 20 * 60;
/** Retries of a failed request after the first attempt (SDK retry options). */
export const defaultMaxRetries = 5;
/** distribution's default cap on concurrent operations. */
export const defaultMaxConcurrency = 50;
/** Sources one compose request takes (a GCS limit). */
export const composeSourceLimit = 32;
/** Components one composite object may have (a GCS limit). */
export const componentLimit = 1024;

/** A service account key's fields, as in its JSON file (config.yml `credentials:`). */
export interface ServiceAccountCredentials {
  readonly type: 'service_account';
  readonly client_email: string;
  readonly private_key: string;
  readonly project_id?: string;
  readonly private_key_id?: string;
  readonly client_id?: string;
  readonly auth_uri?: string;
  readonly token_uri?: string;
  readonly auth_provider_x509_cert_url?: string;
  readonly client_x509_cert_url?: string;
}

/** The gcs driver's options; `fromParameters()` builds them from config.yml. */
export interface GcsDriverOptions extends BaseDriverOptions {
  /** `bucket`; it must exist. */
  bucket: string;
  /** `keyfile`: a service-account JSON key file. */
  keyFile?: string;
  /** `credentials`: a service account key given inline. */
  credentials?: ServiceAccountCredentials;
  /** `rootdirectory`: a name prefix for everything the registry stores. Default none. */
  rootDirectory?: string;
  /** `chunksize`: resumable-upload chunk size, a multiple of 256 KiB. Default 16 MiB. */
  chunkSize?: number;
  /** `endpoint`: another JSON API endpoint, such as an emulator's. Default Google's. */
  endpoint?: string;
  /** `useragent`: added to the SDK's User-Agent. */
  userAgent?: string;
  /** `maxconcurrency`: operations in flight at once; more wait their turn. Default 50. */
  maxConcurrency?: number;
  /** Retries after a failed attempt (the SDK's exponential backoff). Default 5. */
  maxRetries?: number;
  /** Lifetime of signed redirect URLs. Default 1200 s. */
  redirectExpirySeconds?: number;
}
