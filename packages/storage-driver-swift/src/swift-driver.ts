import {
  BaseStorageDriver,
  ObjectKeys,
  type DriverParametersInput,
  type StorageDriver,
} from '@lading/storage-driver';
import { Agent } from 'undici';
import { SwiftBackend } from './swift-backend.js';
import { SwiftClient, headerValue } from './swift-client.js';
import { SwiftRequestError } from './swift-errors.js';
import {
  defaultChunkSize,
  defaultMaxAttempts,
  defaultRedirectExpirySeconds,
  defaultRequestTimeoutMs,
  type SwiftDriverOptions,
} from './swift-options.js';
import { fromParameters } from './swift-parameters.js';
import { containerPath, type SwiftStore } from './swift-store.js';
import { TempUrlSigner } from './swift-tempurl.js';

/** Swift's default cap on a listing page (container_listing_limit). */
const defaultListingLimit = 10_000;

/**
 * A driver storing in a Swift container, laid out as distribution's swift driver. Logs in,
 * creates the container when missing and, with a `secretKey`, makes sure Swift knows it as a
 * Temp-URL key — so a wrong password or URL fails here, at start-up, not at the first push
 * (unless `offline`).
 */
export async function createSwiftDriver(
  options: SwiftDriverOptions & { listingLimit?: number },
): Promise<StorageDriver> {
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const client = new SwiftClient({
    auth: options,
    dispatcher: new Agent({
      connect: { rejectUnauthorized: options.insecureSkipVerify !== true },
      headersTimeout: requestTimeoutMs,
    }),
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    requestTimeoutMs,
  });
  const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const store: SwiftStore = {
    client,
    container: options.container,
    keys: new ObjectKeys(`${prefix}/files`),
    segmentRoot: prefix === '' ? 'segments' : `${prefix}/segments`,
    chunkSize: options.chunkSize ?? defaultChunkSize,
    listing: { limit: options.listingLimit ?? defaultListingLimit },
  };
  if (options.offline !== true) await ensureContainer(store);
  const signer =
    options.secretKey === undefined
      ? undefined
      : new TempUrlSigner(store, client, {
          key: options.secretKey,
          methods: options.tempUrlMethods ?? ['GET', 'HEAD'],
          expirySeconds: options.redirectExpirySeconds ?? defaultRedirectExpirySeconds,
          ...(options.accessKey === undefined ? {} : { accessKey: options.accessKey }),
        });
  if (options.secretKey !== undefined && options.offline !== true) {
    await ensureTempUrlKey(store, options.secretKey, options.tempUrlContainerKey === true);
  }
  return new BaseStorageDriver(new SwiftBackend(store, signer), options);
}

/** Factory for `StorageDriverRegistry`: `storage: swift: {...}` in config.yml. */
export function swiftDriverFactory(parameters: DriverParametersInput): Promise<StorageDriver> {
  return createSwiftDriver(fromParameters(parameters));
}

/** Creates the container unless it exists, as distribution does. */
async function ensureContainer(store: SwiftStore): Promise<void> {
  const path = containerPath(store);
  const found = await store.client.call({ method: 'HEAD', path, accept: [404] });
  if (found.status === 404) await store.client.call({ method: 'PUT', path });
}

/**
 * Makes `key` one of the Temp-URL keys of the account (or of the container): Swift keeps
 * two per level so that keys can be rotated. A free slot is used first; another tool's key
 * is only replaced when both slots are taken.
 */
async function ensureTempUrlKey(
  store: SwiftStore,
  key: string,
  onContainer: boolean,
): Promise<void> {
  const level = onContainer ? 'container' : 'account';
  const path = onContainer ? containerPath(store) : '';
  const head = await store.client.call({ method: 'HEAD', path });
  const header = (suffix: string) => `x-${level}-meta-temp-url-key${suffix}`;
  const slots = ['', '-2'].map((suffix) => headerValue(head.headers, header(suffix)));
  if (slots.includes(key)) return;
  const free = slots.findIndex((slot) => slot === undefined || slot === '');
  const suffix = free === 1 ? '-2' : '';
  try {
    await store.client.call({ method: 'POST', path, headers: { [header(suffix)]: key } });
  } catch (error) {
    const status = error instanceof SwiftRequestError ? String(error.status) : 'no answer';
    throw new Error(
      `swift: secretkey is set but could not be stored as the ${level}'s Temp-URL key ` +
        `(${status}); set X-${level === 'account' ? 'Account' : 'Container'}-Meta-Temp-URL-Key ` +
        'to it with an operator account, or remove secretkey to serve blobs through the registry',
      { cause: error },
    );
  }
}
