import { randomBytes } from 'node:crypto';
import { startAzurite, type RunningAzurite } from '@lading/registry-peers';
import type { AzureDriverOptions } from '../../src/index.js';

/**
 * Where the Azure tests store: by default a container on Azurite, the official
 * emulator, started here on 127.0.0.1; with `LADING_AZURE_CONTAINER` and
 * `LADING_AZURE_CONNECTION_STRING` set, that container on a real account.
 */
export interface AzureTarget {
  readonly description: string;
  /** Options reaching the container, under a root directory of its own for each call. */
  driverOptions(overrides?: Partial<AzureDriverOptions>): AzureDriverOptions;
  /** Azurite's blob endpoint when the target is local (for a recording proxy). */
  readonly localEndpoint?: string;
}

let azurite: Promise<RunningAzurite> | undefined;
let target: Promise<AzureTarget> | undefined;

export function azureTarget(): Promise<AzureTarget> {
  target ??= process.env.LADING_AZURE_CONTAINER ? Promise.resolve(accountTarget()) : localTarget();
  return target;
}

/** Always Azurite: for tests that put a recording proxy in front of the store. */
export async function localTarget(): Promise<AzureTarget> {
  const running = await (azurite ??= startAzurite());
  const container = await running.createContainer();
  const base = {
    accountName: running.accountName,
    credentials: { type: 'shared_key' as const, accountKey: running.accountKey },
    serviceUrl: running.blobEndpoint,
    container,
  };
  return {
    description: `Azurite at ${running.blobEndpoint}`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
    localEndpoint: running.blobEndpoint,
  };
}

function accountTarget(): AzureTarget {
  const container = String(process.env.LADING_AZURE_CONTAINER);
  const connectionString = process.env.LADING_AZURE_CONNECTION_STRING;
  const base =
    connectionString === undefined
      ? { accountName: process.env.LADING_AZURE_ACCOUNT, container }
      : { connectionString, container };
  return {
    description: `container ${container} on a real storage account`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
  };
}

function uniqueRoot(): string {
  return `/lading-test-${randomBytes(6).toString('hex')}`;
}

export async function stopAzureTargets(): Promise<void> {
  const running = azurite;
  azurite = undefined;
  target = undefined;
  if (running !== undefined) await (await running).stop();
}
