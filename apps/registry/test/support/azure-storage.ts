import { randomBytes } from 'node:crypto';
import { startAzurite } from '@lading/registry-peers';

/** The `storage: azure:` section for a test server, and how to stop what it needed. */
export interface AzureStorage {
  readonly description: string;
  /** YAML lines of the azure driver's parameters, indented for `storage:\n  azure:\n`. */
  readonly parameters: string;
  stop(): Promise<void>;
}

/**
 * A container for the reference server's azure driver: on Azurite, the official
 * emulator, started here; or with `LADING_AZURE_CONTAINER` and
 * `LADING_AZURE_CONNECTION_STRING` set, that container on a real account.
 */
export async function azureStorage(): Promise<AzureStorage> {
  const rootdirectory = `/lading-e2e-${randomBytes(6).toString('hex')}`;
  const container = process.env.LADING_AZURE_CONTAINER;
  const connectionstring = process.env.LADING_AZURE_CONNECTION_STRING;
  if (container !== undefined && container !== '' && connectionstring !== undefined) {
    return {
      description: `container ${container}`,
      parameters: yamlLines({ connectionstring, container, rootdirectory }),
      stop: () => Promise.resolve(),
    };
  }
  const azurite = await startAzurite();
  return {
    description: `Azurite at ${azurite.blobEndpoint}`,
    parameters: yamlLines({
      accountname: azurite.accountName,
      accountkey: azurite.accountKey,
      container: await azurite.createContainer(),
      serviceurl: azurite.blobEndpoint,
      rootdirectory,
    }),
    stop: () => azurite.stop(),
  };
}

function yamlLines(parameters: Record<string, string>): string {
  return Object.entries(parameters)
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`)
    .join('');
}
