import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
  type BlobClient,
  type ContainerClient,
  type StoragePipelineOptions,
  type UserDelegationKey,
} from '@azure/storage-blob';
import type { TokenCredential } from '@azure/core-auth';
import {
  defaultMaxRetries,
  defaultRealm,
  defaultRetryDelayMs,
  type AzureCredentials,
  type AzureDriverOptions,
} from './azure-options.js';

/** Longest wait between retries, as distribution's policy caps it. */
const maxRetryDelayMs = 60_000;
/** A user delegation key is asked for this long and renewed well before it ends. */
const delegationKeyLifetimeMs = 6 * 60 * 60 * 1000;

/** Signs read-only SAS URLs for redirects. */
export type SasSigner = (blob: BlobClient, expiresOn: Date) => Promise<string>;

export interface AzureConnection {
  readonly container: ContainerClient;
  readonly signReadUrl: SasSigner;
  /**
   * Whether read URLs may go to clients: not when they would carry the connection
   * string's own SAS, which may allow far more than reading one blob.
   */
  readonly redirects: boolean;
}

/**
 * The container client, with retries from the SDK's own exponential policy,
 * and the signer of redirect URLs: with the account key when there is one,
 * else with a user delegation key (Azure AD credentials).
 */
export function connect(options: AzureDriverOptions): AzureConnection {
  const pipeline: StoragePipelineOptions = {
    retryOptions: retryOptions(options),
    userAgentOptions: { userAgentPrefix: 'lading' },
  };
  if (options.connectionString !== undefined) {
    const service = BlobServiceClient.fromConnectionString(options.connectionString, pipeline);
    return withSigner(service, options.container);
  }
  const accountName = String(options.accountName);
  const serviceUrl =
    options.serviceUrl ?? `https://${accountName}.blob.${options.realm ?? defaultRealm}`;
  const credential = credentialOf(accountName, options.credentials);
  return withSigner(new BlobServiceClient(serviceUrl, credential, pipeline), options.container);
}

function retryOptions(options: AzureDriverOptions): StoragePipelineOptions['retryOptions'] {
  const maxRetries = options.maxRetries ?? defaultMaxRetries;
  return {
    maxTries: maxRetries < 0 ? 1 : maxRetries + 1,
    retryDelayInMs: options.retryDelayMs ?? defaultRetryDelayMs,
    maxRetryDelayInMs: maxRetryDelayMs,
  };
}

function credentialOf(
  accountName: string,
  credentials: AzureCredentials | undefined,
): StorageSharedKeyCredential | TokenCredential {
  switch (credentials?.type) {
    case 'shared_key':
      return new StorageSharedKeyCredential(accountName, credentials.accountKey);
    case 'client_secret':
      return new ClientSecretCredential(
        credentials.tenantId,
        credentials.clientId,
        credentials.secret,
      );
    case 'token':
      return credentials.credential;
    case 'default_credentials':
    case undefined:
      return new DefaultAzureCredential();
  }
}

function withSigner(service: BlobServiceClient, containerName: string): AzureConnection {
  const container = service.getContainerClient(containerName);
  const { credential } = service;
  if (credential instanceof StorageSharedKeyCredential) {
    return {
      container,
      signReadUrl: (blob, expiresOn) =>
        blob.generateSasUrl({ permissions: BlobSASPermissions.from({ read: true }), expiresOn }),
      redirects: true,
    };
  }
  if (isTokenCredential(credential)) {
    return { container, signReadUrl: delegationSigner(service, containerName), redirects: true };
  }
  // A connection string with a SAS: every blob URL already carries it, for as long as it lasts.
  return { container, signReadUrl: (blob) => Promise.resolve(blob.url), redirects: false };
}

function isTokenCredential(credential: unknown): credential is TokenCredential {
  return (
    typeof credential === 'object' &&
    credential !== null &&
    typeof (credential as Partial<TokenCredential>).getToken === 'function'
  );
}

/** What a delegation signer needs of the service client. */
type DelegationKeySource = Pick<BlobServiceClient, 'getUserDelegationKey' | 'accountName'>;

/** Signs with a user delegation key, fetched once and renewed when half its life is gone. */
export function delegationSigner(service: DelegationKeySource, containerName: string): SasSigner {
  let cached: { key: UserDelegationKey; renewAt: number } | undefined;
  return async (blob, expiresOn) => {
    const now = Date.now();
    if (cached === undefined || now >= cached.renewAt) {
      const startsOn = new Date(now - 5 * 60 * 1000);
      const keyExpiresOn = new Date(now + delegationKeyLifetimeMs);
      const key = await service.getUserDelegationKey(startsOn, keyExpiresOn);
      cached = { key, renewAt: now + delegationKeyLifetimeMs / 2 };
    }
    const query = generateBlobSASQueryParameters(
      {
        containerName,
        blobName: blob.name,
        permissions: BlobSASPermissions.from({ read: true }),
        expiresOn,
      },
      cached.key,
      service.accountName,
    );
    return `${blob.url}?${query.toString()}`;
  };
}
