import {
  DriverParameters,
  InvalidDriverParameterError,
  type DriverParametersInput,
} from '@lading/storage-driver';
import {
  authVersions,
  defaultChunkSize,
  endpointTypes,
  maximumChunkSize,
  minimumChunkSize,
  tempUrlMethods,
  type AuthVersion,
  type EndpointType,
  type SwiftDriverOptions,
  type TempUrlMethod,
} from './swift-options.js';

/** The one key whose value is a list, which `DriverParameters` has no reader for. */
const tempUrlMethodsKey = 'tempurlmethods';

/** Swift's limit on a container name (`MAX_CONTAINER_NAME_LENGTH`), in UTF-8 bytes. */
const maximumContainerNameBytes = 256;

/**
 * config.yml `storage: swift: {...}` parameters → options, with the keys,
 * meanings and defaults of distribution's swift driver. Every bad value names
 * its key. Values may come from `REGISTRY_STORAGE_SWIFT_*` overrides, so
 * numbers and booleans are also read from strings, and `tempurlmethods` from a
 * comma-separated string. An optional string given as empty is left out.
 */
export function fromParameters(parameters: DriverParametersInput): SwiftDriverOptions {
  const [rawTempUrlMethods, otherParameters] = splitOff(parameters, tempUrlMethodsKey);
  const reader = new DriverParameters(otherParameters);

  // Every key is read (and its type checked) before unknown keys are rejected,
  // so that a misspelt `contianer` is reported as unknown, not as a missing `container`.
  const username = verbatim(reader, 'username');
  const password = verbatim(reader, 'password');
  const authUrl = readAuthUrl(reader);
  const container = readContainer(reader);
  const authVersion = readAuthVersion(reader);
  const keystone = {
    tenant: trimmed(reader, 'tenant'),
    tenantId: trimmed(reader, 'tenantid'),
    domain: trimmed(reader, 'domain'),
    domainId: trimmed(reader, 'domainid'),
    tenantDomain: trimmed(reader, 'tenantdomain'),
    tenantDomainId: trimmed(reader, 'tenantdomainid'),
    region: trimmed(reader, 'region'),
  };
  const trustId = trimmed(reader, 'trustid');
  const endpointType = readEndpointType(reader);
  const prefix = readPrefix(reader);
  const insecureSkipVerify = reader.boolean('insecureskipverify', false);
  const chunkSize = readChunkSize(reader);
  const secretKey = verbatim(reader, 'secretkey');
  const accessKey = verbatim(reader, 'accesskey');
  const tempUrlContainerKey = reader.boolean('tempurlcontainerkey', false);
  // Taken out of the reader above; asking for it here makes it a known key.
  reader.optionalString(tempUrlMethodsKey);
  const methods = readTempUrlMethods(rawTempUrlMethods);
  reader.rejectUnknownKeys();

  // In distribution's order.
  const required = {
    username: requireValue('username', username),
    password: requireValue('password', password),
    authUrl: requireValue('authurl', authUrl),
    container: requireValue('container', container),
  };

  if (accessKey !== undefined && secretKey === undefined) {
    throw new InvalidDriverParameterError(
      'secretkey',
      'is required when accesskey is set (accesskey only changes the form of TempURL signatures)',
    );
  }
  if (trustId !== undefined) {
    if (authVersion === 1 || authVersion === 2) {
      throw new InvalidDriverParameterError(
        'trustid',
        `cannot be used with authversion ${authVersion}: trusts are Keystone v3 (authversion 3, or 0 with a v3 authurl)`,
      );
    }
    if (keystone.tenant !== undefined || keystone.tenantId !== undefined) {
      const projectKey = keystone.tenant !== undefined ? 'tenant' : 'tenantid';
      throw new InvalidDriverParameterError(
        'trustid',
        `cannot be combined with ${projectKey}: a token is scoped either to a trust or to a project`,
      );
    }
  }
  if (authVersion === 1) {
    // Keys that only Keystone gives a meaning to, as written in config.yml.
    const keystoneOnly: readonly (readonly [string, unknown])[] = [
      ['tenant', keystone.tenant],
      ['tenantid', keystone.tenantId],
      ['domain', keystone.domain],
      ['domainid', keystone.domainId],
      ['tenantdomain', keystone.tenantDomain],
      ['tenantdomainid', keystone.tenantDomainId],
      ['region', keystone.region],
      ['endpointtype', endpointType.given ? endpointType.value : undefined],
    ];
    const given = keystoneOnly.find(([, value]) => value !== undefined);
    if (given !== undefined) {
      throw new InvalidDriverParameterError(
        given[0],
        'cannot be used with authversion 1: TempAuth has no projects, domains or service catalog ' +
          '(use authversion 2 or 3 for Keystone, or remove the key)',
      );
    }
  }

  return {
    ...required,
    authVersion,
    ...definedOnly({ ...keystone, trustId }),
    endpointType: endpointType.value,
    ...definedOnly({ prefix }),
    insecureSkipVerify,
    chunkSize,
    ...definedOnly({ secretKey, accessKey }),
    tempUrlContainerKey,
    ...definedOnly({ tempUrlMethods: methods }),
  };
}

/** The value of `key` and the parameters without it; anything not a mapping passes through. */
function splitOff(parameters: DriverParametersInput, key: string): [unknown, unknown] {
  const input: unknown = parameters;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [undefined, input];
  }
  const { [key]: value, ...rest } = parameters;
  return [value, rest];
}

/** A name or URL: surrounding white space dropped; empty means absent. */
function trimmed(reader: DriverParameters, key: string): string | undefined {
  const value = reader.optionalString(key)?.trim();
  return value === '' ? undefined : value;
}

/** A secret or a name kept exactly as written; empty or blank means absent. */
function verbatim(reader: DriverParameters, key: string): string | undefined {
  const value = reader.optionalString(key);
  return value === undefined || value.trim() === '' ? undefined : value;
}

function requireValue(key: string, value: string | undefined): string {
  if (value === undefined) throw new InvalidDriverParameterError(key, 'is required');
  return value;
}

function readAuthUrl(reader: DriverParameters): string | undefined {
  const value = trimmed(reader, 'authurl');
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = /^https?:\/\//i.test(value) ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.hostname === undefined || url.hostname === '') {
    throw new InvalidDriverParameterError(
      'authurl',
      `expected an absolute http: or https: URL such as "https://keystone.example.com/v3", got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function readContainer(reader: DriverParameters): string | undefined {
  const value = verbatim(reader, 'container');
  if (value === undefined) return undefined;
  if (value.includes('/')) {
    throw new InvalidDriverParameterError(
      'container',
      `${JSON.stringify(value)} is not a Swift container name: it cannot contain "/" (use prefix for a path inside the container)`,
    );
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maximumContainerNameBytes) {
    throw new InvalidDriverParameterError(
      'container',
      `is ${bytes} bytes long; a Swift container name is at most ${maximumContainerNameBytes} bytes (UTF-8)`,
    );
  }
  return value;
}

function readAuthVersion(reader: DriverParameters): AuthVersion {
  const value = reader.integer('authversion', 0);
  const known = authVersions.find((version) => version === value);
  if (known === undefined) {
    throw new InvalidDriverParameterError(
      'authversion',
      `expected 0 (guess from authurl), 1 (TempAuth), 2 (Keystone v2) or 3 (Keystone v3), got ${value}`,
    );
  }
  return known;
}

function readEndpointType(reader: DriverParameters): { value: EndpointType; given: boolean } {
  const value = trimmed(reader, 'endpointtype');
  if (value === undefined) return { value: 'public', given: false };
  const lowered = value.toLowerCase();
  const known = endpointTypes.find((type) => type === lowered);
  if (known === undefined) {
    throw new InvalidDriverParameterError(
      'endpointtype',
      `expected one of ${endpointTypes.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return { value: known, given: true };
}

/**
 * A path inside the container. Leading and trailing slashes go, as
 * distribution trims them when it builds object names; what is left must be
 * plain segments, since `.`, `..` and `//` would not name what they seem to
 * once in a URL.
 */
function readPrefix(reader: DriverParameters): string | undefined {
  const value = verbatim(reader, 'prefix');
  if (value === undefined) return undefined;
  const stripped = value.replace(/^\/+/, '').replace(/\/+$/, '');
  if (stripped === '') return undefined;
  for (const segment of stripped.split('/')) {
    if (segment === '') {
      throw new InvalidDriverParameterError(
        'prefix',
        `${JSON.stringify(value)} has an empty path segment ("//"); expected a path such as "registry/v2"`,
      );
    }
    if (segment === '.' || segment === '..') {
      throw new InvalidDriverParameterError(
        'prefix',
        `${JSON.stringify(value)} has a "${segment}" segment; expected a path inside the container such as "registry/v2"`,
      );
    }
  }
  return stripped;
}

function readChunkSize(reader: DriverParameters): number {
  const value = reader.integer('chunksize', defaultChunkSize);
  if (value < minimumChunkSize || value > maximumChunkSize) {
    throw new InvalidDriverParameterError(
      'chunksize',
      `expected an integer number of bytes from ${minimumChunkSize} (1 MiB, distribution's minimum) ` +
        `to ${maximumChunkSize} (5 GiB, Swift's default maximum object size), got ${value}`,
    );
  }
  return value;
}

/**
 * A YAML list (`[GET, HEAD]`) or, from an environment override, a
 * comma-separated string (`GET,HEAD`). Case-insensitive; upper case out,
 * duplicates dropped. `undefined` when absent or given as an empty string.
 */
function readTempUrlMethods(value: unknown): readonly TempUrlMethod[] | undefined {
  if (value === undefined || value === null) return undefined;
  let items: readonly unknown[];
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    items = value.split(',');
  } else if (Array.isArray(value)) {
    items = value;
  } else {
    throw new InvalidDriverParameterError(
      tempUrlMethodsKey,
      `expected a list of HTTP methods such as [GET, HEAD], or "GET,HEAD", got ${describe(value)}`,
    );
  }
  if (items.length === 0) {
    throw new InvalidDriverParameterError(
      tempUrlMethodsKey,
      `is an empty list; expected some of ${tempUrlMethods.join(', ')} (or leave the key out)`,
    );
  }
  const methods: TempUrlMethod[] = [];
  for (const item of items) {
    const method = readMethod(item);
    if (!methods.includes(method)) methods.push(method);
  }
  return methods;
}

function readMethod(item: unknown): TempUrlMethod {
  const name = typeof item === 'string' ? item.trim().toUpperCase() : undefined;
  const known = tempUrlMethods.find((method) => method === name);
  if (known === undefined) {
    throw new InvalidDriverParameterError(
      tempUrlMethodsKey,
      `expected each method to be one of ${tempUrlMethods.join(', ')}, got ${describe(item)}`,
    );
  }
  return known;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean')
    return `${typeof value} ${String(value)}`;
  return typeof value;
}

/** The entries whose value is not `undefined`: optional options are left out, not set to undefined. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
