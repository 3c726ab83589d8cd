import {
  DriverParameters,
  InvalidDriverParameterError,
  type DriverParametersInput,
} from '@lading/storage-driver';
import {
  defaultCopyStatusPollDelayMs,
  defaultCopyStatusPollMaxRetry,
  defaultMaxRetries,
  defaultRealm,
  defaultRetryDelayMs,
  type AzureCredentials,
  type AzureDriverOptions,
} from './azure-options.js';

const credentialTypes = ['shared_key', 'client_secret', 'default_credentials'] as const;

/**
 * config.yml `storage: azure: {...}` parameters → options, with
 * distribution's keys and defaults. Every bad value names its key.
 */
export function fromParameters(parameters: DriverParametersInput): AzureDriverOptions {
  const reader = new DriverParameters(parameters);
  const connectionString = nonEmpty(reader.optionalString('connectionstring'));
  const accountName = nonEmpty(reader.optionalString('accountname'));
  const accountKey = nonEmpty(reader.optionalString('accountkey'));
  const options: AzureDriverOptions = {
    accountName,
    connectionString,
    credentials: readCredentials(reader, accountKey),
    container: reader.requiredString('container'),
    realm: reader.string('realm', defaultRealm) || defaultRealm,
    serviceUrl: nonEmpty(reader.optionalString('serviceurl')),
    rootDirectory: reader.string('rootdirectory', ''),
    maxRetries: reader.integer('max_retries', defaultMaxRetries, { min: -1 }),
    retryDelayMs: reader.durationMs('retry_delay', defaultRetryDelayMs),
    copyStatusPollMaxRetry: reader.integer(
      'copy_status_poll_max_retry',
      defaultCopyStatusPollMaxRetry,
      { min: 0 },
    ),
    copyStatusPollDelayMs: reader.durationMs(
      'copy_status_poll_delay',
      defaultCopyStatusPollDelayMs,
    ),
  };
  reader.rejectUnknownKeys();
  if (connectionString === undefined && accountName === undefined) {
    throw new InvalidDriverParameterError(
      'accountname',
      'is required unless connectionstring is set',
    );
  }
  if (connectionString === undefined && options.credentials === undefined) {
    throw new InvalidDriverParameterError(
      'accountkey',
      'is required unless connectionstring or a credentials block is set',
    );
  }
  return options;
}

function readCredentials(
  reader: DriverParameters,
  accountKey: string | undefined,
): AzureCredentials | undefined {
  const block = reader.optionalChild('credentials');
  if (block === undefined) {
    return accountKey === undefined ? undefined : { type: 'shared_key', accountKey };
  }
  const type = block.requiredString('type');
  const credentials = credentialsOfType(block, type, accountKey);
  block.rejectUnknownKeys();
  return credentials;
}

function credentialsOfType(
  block: DriverParameters,
  type: string,
  accountKey: string | undefined,
): AzureCredentials {
  switch (type) {
    case 'shared_key':
      if (accountKey === undefined) {
        throw new InvalidDriverParameterError(
          'accountkey',
          'is required with credentials type shared_key',
        );
      }
      return { type, accountKey };
    case 'client_secret':
      return {
        type,
        tenantId: block.requiredString('tenantid'),
        clientId: block.requiredString('clientid'),
        secret: block.requiredString('secret'),
      };
    case 'default_credentials':
      return { type };
    default:
      throw new InvalidDriverParameterError(
        'credentials.type',
        `expected one of ${credentialTypes.join(', ')}, got ${JSON.stringify(type)}`,
      );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
