import type { ObjectKeys } from '@lading/storage-driver';
import type { ContainerClient } from '@azure/storage-blob';
import type { SasSigner } from './azure-client.js';

/** What the backend, its writers and its mover share. */
export interface AzureStore {
  readonly container: ContainerClient;
  readonly keys: ObjectKeys;
  /** Read URLs for server-side copies, and for redirects when `redirects` is set. */
  readonly signReadUrl: SasSigner;
  readonly redirects: boolean;
  readonly blockSize: number;
  readonly listPageSize: number;
  readonly copyStatusPollMaxRetry: number;
  readonly copyStatusPollDelayMs: number;
}

/** distribution stores every blob as octet-stream; clients never see it (the registry sets its own). */
export const blobHTTPHeaders = { blobContentType: 'application/octet-stream' };
