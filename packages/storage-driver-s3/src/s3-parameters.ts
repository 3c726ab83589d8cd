import {
  DriverParameters,
  InvalidDriverParameterError,
  type DriverParametersInput,
} from '@lading/storage-driver';
import {
  defaultChunkSize,
  defaultMultipartCopyChunkSize,
  defaultMultipartCopyMaxConcurrency,
  defaultMultipartCopyThresholdSize,
  maximumPartSize,
  minimumPartSize,
  objectAcls,
  storageClasses,
  type ObjectAcl,
  type S3Credentials,
  type S3DriverOptions,
  type StorageClass,
} from './s3-options.js';

// AWS region names: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, us-isob-east-1…
const awsRegionPattern = /^[a-z]{2}(-[a-z0-9]+)+-\d+$/;

/**
 * config.yml `storage: s3: {...}` parameters → options, with distribution's
 * keys, meanings and defaults. Every bad value names its key.
 */
export function fromParameters(parameters: DriverParametersInput): S3DriverOptions {
  const reader = new DriverParameters(parameters);
  const regionEndpoint = nonEmpty(reader.optionalString('regionendpoint'));
  const options: S3DriverOptions = {
    bucket: reader.requiredString('bucket'),
    region: readRegion(reader, regionEndpoint),
    regionEndpoint,
    forcePathStyle: reader.boolean('forcepathstyle', false),
    credentials: readCredentials(reader),
    encrypt: reader.boolean('encrypt', false),
    keyId: nonEmpty(reader.optionalString('keyid')),
    secure: reader.boolean('secure', true),
    skipVerify: reader.boolean('skipverify', false),
    chunkSize: readSize(reader, 'chunksize', defaultChunkSize),
    multipartCopyChunkSize: readSize(
      reader,
      'multipartcopychunksize',
      defaultMultipartCopyChunkSize,
    ),
    multipartCopyThresholdSize: reader.integer(
      'multipartcopythresholdsize',
      defaultMultipartCopyThresholdSize,
      { min: 0, max: maximumPartSize },
    ),
    multipartCopyMaxConcurrency: reader.integer(
      'multipartcopymaxconcurrency',
      defaultMultipartCopyMaxConcurrency,
      { min: 1 },
    ),
    rootDirectory: reader.string('rootdirectory', ''),
    storageClass: readStorageClass(reader),
    objectAcl: readObjectAcl(reader),
    userAgent: nonEmpty(reader.optionalString('useragent')),
    useDualstack: reader.boolean('usedualstack', false),
    accelerate: reader.boolean('accelerate', false),
  };
  if (!reader.boolean('v4auth', true)) {
    throw new InvalidDriverParameterError(
      'v4auth',
      'Signature Version 2 is not supported (the AWS SDK v3 signs with Signature Version 4 only; ' +
        'every S3-compatible server in use accepts it): remove the key or set it to true',
    );
  }
  if (options.secure === false && regionEndpoint === undefined) {
    if (options.useDualstack === true || options.accelerate === true) {
      throw new InvalidDriverParameterError(
        'secure',
        'false cannot be combined with usedualstack or accelerate, which are https only',
      );
    }
  }
  if (options.keyId !== undefined && options.encrypt !== true) {
    throw new InvalidDriverParameterError('keyid', 'needs encrypt: true');
  }
  reader.rejectUnknownKeys();
  return options;
}

function readRegion(reader: DriverParameters, regionEndpoint: string | undefined): string {
  const region = nonEmpty(reader.optionalString('region'));
  if (region === undefined) {
    if (regionEndpoint !== undefined) return 'us-east-1';
    throw new InvalidDriverParameterError('region', 'is required unless regionendpoint is set');
  }
  // S3-compatible services name their regions freely (MinIO's default is "us-east-1", Ceph's "default").
  if (regionEndpoint === undefined && !awsRegionPattern.test(region)) {
    throw new InvalidDriverParameterError(
      'region',
      `${JSON.stringify(region)} is not an AWS region name such as "us-east-1"`,
    );
  }
  return region;
}

function readCredentials(reader: DriverParameters): S3Credentials | undefined {
  const accessKeyId = nonEmpty(reader.optionalString('accesskey'));
  const secretAccessKey = nonEmpty(reader.optionalString('secretkey'));
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined) {
    throw new InvalidDriverParameterError('accesskey', 'is required when secretkey is set');
  }
  if (secretAccessKey === undefined) {
    throw new InvalidDriverParameterError('secretkey', 'is required when accesskey is set');
  }
  return { accessKeyId, secretAccessKey };
}

function readSize(reader: DriverParameters, key: string, fallback: number): number {
  return reader.integer(key, fallback, { min: minimumPartSize, max: maximumPartSize });
}

function readStorageClass(reader: DriverParameters): StorageClass | undefined {
  const value = reader.string('storageclass', 'STANDARD').toUpperCase();
  if (value === 'NONE') return undefined;
  const known = storageClasses.find((storageClass) => storageClass === value);
  if (known === undefined) {
    const allowed = ['NONE', ...storageClasses].join(', ');
    throw new InvalidDriverParameterError(
      'storageclass',
      `expected one of ${allowed}, got ${JSON.stringify(value)}`,
    );
  }
  return known;
}

function readObjectAcl(reader: DriverParameters): ObjectAcl {
  const value = reader.string('objectacl', 'private');
  const known = objectAcls.find((acl) => acl === value);
  if (known === undefined) {
    throw new InvalidDriverParameterError(
      'objectacl',
      `expected one of ${objectAcls.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return known;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
