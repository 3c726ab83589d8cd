import {
  DriverParameters,
  InvalidDriverParameterError,
  type DriverParametersInput,
} from '@lading/storage-driver';
import {
  chunkAlignment,
  defaultChunkSize,
  defaultMaxConcurrency,
  type GcsDriverOptions,
  type ServiceAccountCredentials,
} from './gcs-options.js';

/** distribution's floor for `maxconcurrency`. */
const minimumConcurrency = 25;
/** GCS bucket names: 3–63 characters (222 with dots), lower case, digits, `-`, `_`, `.`. */
const bucketName = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
/** The service-account fields a key file has besides the required ones. */
const optionalCredentialFields = [
  'project_id',
  'private_key_id',
  'client_id',
  'auth_uri',
  'token_uri',
  'auth_provider_x509_cert_url',
  'client_x509_cert_url',
  'universe_domain',
] as const;

/**
 * config.yml `storage: gcs: {...}` parameters → options, with the keys, meanings and
 * defaults of distribution's gcs driver, plus `endpoint` for an emulator. Every bad value
 * names its key.
 */
export function fromParameters(parameters: DriverParametersInput): GcsDriverOptions {
  const reader = new DriverParameters(parameters);
  const bucket = reader.optionalString('bucket')?.trim();
  const keyFile = nonEmpty(reader.optionalString('keyfile'));
  const credentialsBlock = reader.optionalChild('credentials');
  const credentials =
    credentialsBlock === undefined ? undefined : readCredentials(credentialsBlock);
  const options: GcsDriverOptions = {
    bucket: '',
    rootDirectory: reader.string('rootdirectory', ''),
    chunkSize: readChunkSize(reader),
    maxConcurrency: reader.integer('maxconcurrency', defaultMaxConcurrency, {
      min: minimumConcurrency,
    }),
  };
  const endpoint = readEndpoint(reader);
  const userAgent = nonEmpty(reader.optionalString('useragent'));
  reader.rejectUnknownKeys();

  if (bucket === undefined || bucket === '') {
    throw new InvalidDriverParameterError('bucket', 'is required');
  }
  if (!bucketName.test(bucket) || bucket.includes('..')) {
    throw new InvalidDriverParameterError(
      'bucket',
      `${JSON.stringify(bucket)} is not a bucket name (3–63 of a–z, 0–9, -, _ and ., ` +
        'starting and ending with a letter or digit)',
    );
  }
  if (keyFile !== undefined && credentials !== undefined) {
    throw new InvalidDriverParameterError(
      'credentials',
      'give either keyfile or credentials, not both',
    );
  }
  options.bucket = bucket;
  if (keyFile !== undefined) options.keyFile = keyFile;
  if (credentials !== undefined) options.credentials = credentials;
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (userAgent !== undefined) options.userAgent = userAgent;
  return options;
}

function readChunkSize(reader: DriverParameters): number {
  const size = reader.integer('chunksize', defaultChunkSize, { min: chunkAlignment });
  if (size % chunkAlignment !== 0) {
    throw new InvalidDriverParameterError(
      'chunksize',
      `expected a multiple of ${String(chunkAlignment)} (256 KiB), got ${String(size)}`,
    );
  }
  return size;
}

function readEndpoint(reader: DriverParameters): string | undefined {
  const endpoint = nonEmpty(reader.optionalString('endpoint'));
  if (endpoint === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidDriverParameterError('endpoint', `${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidDriverParameterError('endpoint', 'expected an http: or https: URL');
  }
  return endpoint.replace(/\/+$/, '');
}

/** A service account key, as distribution takes it: every field of the key file. */
function readCredentials(block: DriverParameters): ServiceAccountCredentials {
  const type = block.requiredString('type');
  if (type !== 'service_account') {
    throw new InvalidDriverParameterError(
      'credentials.type',
      `expected service_account, got ${JSON.stringify(type)}`,
    );
  }
  const credentials: Record<string, string> = {
    type,
    client_email: block.requiredString('client_email'),
    private_key: block.requiredString('private_key'),
  };
  for (const field of optionalCredentialFields) {
    const value = nonEmpty(block.optionalString(field));
    if (value !== undefined) credentials[field] = value;
  }
  block.rejectUnknownKeys();
  if (!credentials.private_key?.includes('PRIVATE KEY')) {
    throw new InvalidDriverParameterError(
      'credentials.private_key',
      'expected a PEM private key ("-----BEGIN PRIVATE KEY-----…")',
    );
  }
  return credentials as unknown as ServiceAccountCredentials;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
