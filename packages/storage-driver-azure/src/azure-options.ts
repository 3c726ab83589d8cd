import type { TokenCredential } from '@azure/core-auth';
import type { BaseDriverOptions } from '@lading/storage-driver';

export const MiB = 1024 * 1024;

/** Writers' block size: 50,000 blocks of 8 MiB make a blob of up to 390 GiB. */
export const defaultBlockSize = 8 * MiB;
/** Azure's ceiling for one staged block. */
export const maximumBlockSize = 4000 * MiB;
export const defaultListPageSize = 5000;
export const defaultRealm = 'core.windows.net';
export const defaultMaxRetries = 5;
export const defaultRetryDelayMs = 100;
export const defaultCopyStatusPollMaxRetry = 5;
export const defaultCopyStatusPollDelayMs = 100;
/** How long a SAS redirect URL stays valid: distribution's 20 minutes. */
export const defaultRedirectExpirySeconds = 20 * 60;

/** How the driver proves who it is, as distribution's `credentials:` block says. */
export type AzureCredentials =
  | { readonly type: 'shared_key'; readonly accountKey: string }
  | {
      readonly type: 'client_secret';
      readonly tenantId: string;
      readonly clientId: string;
      readonly secret: string;
    }
  | { readonly type: 'default_credentials' }
  /** For library users: any `@azure/identity` credential (workload identity, a CLI login…). */
  | { readonly type: 'token'; readonly credential: TokenCredential };

export interface AzureDriverOptions extends BaseDriverOptions {
  /** The storage account; not needed with a connection string. */
  accountName?: string;
  /** Shared key, managed identity / service principal, or the default chain. */
  credentials?: AzureCredentials;
  /** A connection string (account key or SAS); replaces `accountName`, `credentials`, `serviceUrl`. */
  connectionString?: string;
  /** The container; it must exist. */
  container: string;
  /** Endpoint suffix of the cloud: `core.windows.net`, `core.chinacloudapi.cn`, … */
  realm?: string;
  /** The blob endpoint, for Azurite or any other; default `https://<account>.blob.<realm>`. */
  serviceUrl?: string;
  /** Blob-name prefix of everything the driver stores. */
  rootDirectory?: string;
  /** Retries of a failed request (the SDK's exponential policy); -1 turns them off. Default 5. */
  maxRetries?: number;
  /** First retry delay; it doubles each time. Default 100 ms. */
  retryDelayMs?: number;
  /** How often a server-side copy's status is asked before `move` gives up. Default 5. */
  copyStatusPollMaxRetry?: number;
  /** First wait between copy-status polls; it doubles each time. Default 100 ms. */
  copyStatusPollDelayMs?: number;
  /** Writers' block size. Default 8 MiB. */
  blockSize?: number;
  /** Blobs per listing request. Default 5000, Azure's maximum. */
  listPageSize?: number;
  /** Lifetime of SAS redirect URLs. Default 1200 s. */
  redirectExpirySeconds?: number;
}
