import {
  DriverParameters,
  InvalidDriverParameterError,
  type DriverParametersInput,
} from '@lading/storage-driver';
import {
  defaultChunkSize,
  maximumPartSize,
  minimumChunkSize,
  type OssDriverOptions,
} from './oss-options.js';

/** OSS regions: `oss-cn-hangzhou`, `oss-us-west-1`, `oss-cn-hongkong`, `oss-rg-china-mainland`… */
const regionPattern = /^oss-[a-z0-9]+(-[a-z0-9]+)*$/;
/** OSS bucket names: 3–63 of a–z, 0–9 and `-`, not starting or ending with `-`. */
const bucketPattern = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * config.yml `storage: oss: {...}` parameters → options, with the keys, meanings and
 * defaults of distribution's oss driver. Every bad value names its key.
 */
export function fromParameters(parameters: DriverParametersInput): OssDriverOptions {
  const reader = new DriverParameters(parameters);
  const accessKeyId = reader.optionalString('accesskeyid');
  const accessKeySecret = reader.optionalString('accesskeysecret');
  const region = nonEmpty(reader.optionalString('region'));
  const bucket = nonEmpty(reader.optionalString('bucket'));
  const endpoint = readEndpoint(reader);
  const internal = reader.boolean('internal', false);
  const encrypt = reader.boolean('encrypt', false);
  const encryptionKeyId = nonEmpty(reader.optionalString('encryptionkeyid'));
  const secure = reader.boolean('secure', true);
  const chunkSize = reader.integer('chunksize', defaultChunkSize, {
    min: minimumChunkSize,
    max: maximumPartSize,
  });
  const rootDirectory = reader.string('rootdirectory', '');
  reader.rejectUnknownKeys();

  // In distribution's order.
  const required = {
    accessKeyId: requireValue('accesskeyid', accessKeyId),
    accessKeySecret: requireValue('accesskeysecret', accessKeySecret),
    region: requireValue('region', region),
    bucket: requireValue('bucket', bucket),
  };
  if (!regionPattern.test(required.region)) {
    throw new InvalidDriverParameterError(
      'region',
      `expected an OSS region such as oss-cn-hangzhou, got ${JSON.stringify(required.region)}`,
    );
  }
  if (!bucketPattern.test(required.bucket)) {
    throw new InvalidDriverParameterError(
      'bucket',
      `${JSON.stringify(required.bucket)} is not an OSS bucket name (3–63 of a–z, 0–9 and -)`,
    );
  }
  if (encryptionKeyId !== undefined && !encrypt) {
    throw new InvalidDriverParameterError('encryptionkeyid', 'needs encrypt: true');
  }
  const options: OssDriverOptions = {
    ...required,
    internal,
    secure,
    encrypt,
    chunkSize,
    rootDirectory,
  };
  if (endpoint !== undefined) options.endpoint = endpoint;
  if (encryptionKeyId !== undefined) options.encryptionKeyId = encryptionKeyId;
  return options;
}

/** A host (`oss-cn-beijing.aliyuncs.com`, a custom domain) or a URL (`http://127.0.0.1:9000`). */
function readEndpoint(reader: DriverParameters): string | undefined {
  const endpoint = nonEmpty(reader.optionalString('endpoint'));
  if (endpoint === undefined) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidDriverParameterError(
      'endpoint',
      `${JSON.stringify(endpoint)} is not a host or URL`,
    );
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidDriverParameterError('endpoint', 'expected a host name or an http(s) URL');
  }
  return endpoint.replace(/\/+$/, '');
}

function requireValue(key: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new InvalidDriverParameterError(key, 'is required');
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
