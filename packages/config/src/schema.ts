/**
 * Every key distribution's config.yml knows (v2.8 and v3), and what Lading does with it.
 * The unknown-key check and the environment overrides both walk this tree; the typed
 * readers in `sections/` give the values their types and defaults.
 */
export type Shape = ScalarShape | OpenShape | ListShape | MapShape | StructShape;

interface Treatment {
  /** A warning, after the key's path, when the key is set: accepted but not (fully) acted on. */
  readonly warning?: string;
  /** Why the config is refused when the key is set. */
  readonly refused?: string;
  /**
   * distribution's Go field name, upper-cased, when it differs from the YAML key:
   * distribution matches environment variables by field name, so both are accepted.
   */
  readonly goName?: string;
}

/** A single value: string, number, boolean. */
export interface ScalarShape extends Treatment {
  readonly kind: 'scalar';
}

/** Anything, not checked here: driver parameters, middleware options, log fields. */
export interface OpenShape extends Treatment {
  readonly kind: 'open';
}

export interface ListShape extends Treatment {
  readonly kind: 'list';
  readonly items: Shape;
}

/** A mapping with keys of the user's choosing (header names), each value of one shape. */
export interface MapShape extends Treatment {
  readonly kind: 'map';
  readonly values: Shape;
}

/** A mapping with a fixed set of keys. */
export interface StructShape extends Treatment {
  readonly kind: 'struct';
  readonly fields: Readonly<Record<string, Shape>>;
  /** The shape of any other key (the storage driver's section), when others are allowed. */
  readonly others?: Shape;
  /** distribution accepts a bare name for a section with no parameters: `storage: inmemory`. */
  readonly nameOnly?: boolean;
}

const scalar: ScalarShape = { kind: 'scalar' };
const open: OpenShape = { kind: 'open' };
const list = (items: Shape): ListShape => ({ kind: 'list', items });
const map = (values: Shape): MapShape => ({ kind: 'map', values });
const struct = (
  fields: Readonly<Record<string, Shape>>,
  extra: Omit<StructShape, 'kind' | 'fields'> = {},
): StructShape => ({ kind: 'struct', fields, ...extra });
const scalars = (...names: string[]): Record<string, Shape> =>
  Object.fromEntries(names.map((name) => [name, scalar]));
const notSupported = <T extends Shape>(shape: T): T => ({
  ...shape,
  warning: 'is not supported by Lading and is ignored',
});
const goName = <T extends Shape>(name: string, shape: T): T => ({ ...shape, goName: name });

const strings = list(scalar);
const headers = map(strings);
const middleware = notSupported(list(struct({ ...scalars('name', 'disabled'), options: open })));

const log = struct({
  ...scalars('level', 'formatter', 'reportcaller'),
  fields: open,
  accesslog: struct(scalars('disabled')),
  hooks: notSupported(
    list(
      struct({
        ...scalars('type', 'disabled'),
        levels: strings,
        options: goName(
          'MAILOPTIONS',
          struct({
            smtp: struct(scalars('addr', 'username', 'password', 'insecure')),
            from: scalar,
            to: strings,
          }),
        ),
      }),
    ),
  ),
});

/** The storage section: fixed keys, and one more key that names the driver. */
export const storageSettingKeys = ['delete', 'redirect', 'cache', 'maintenance', 'tag'] as const;

const storage = struct(
  {
    delete: struct(scalars('enabled')),
    redirect: struct(scalars('disable')),
    cache: struct(scalars('blobdescriptor', 'blobdescriptorsize', 'layerinfo')),
    maintenance: struct({
      uploadpurging: struct(scalars('enabled', 'age', 'interval', 'dryrun')),
      readonly: struct(scalars('enabled')),
    }),
    tag: struct(scalars('concurrencylimit')),
  },
  { others: open, nameOnly: true },
);

const auth = struct(
  {
    none: struct({}),
    silly: struct(scalars('realm', 'service')),
    token: struct({
      ...scalars('realm', 'service', 'issuer', 'rootcertbundle', 'jwks'),
      ...scalars('autoredirect', 'autoredirectpath'),
      signingalgorithms: strings,
    }),
    htpasswd: struct(scalars('realm', 'path')),
  },
  { nameOnly: true },
);

const http = struct({
  ...scalars('addr', 'net', 'host', 'prefix', 'secret', 'relativeurls', 'draintimeout'),
  tls: struct({
    ...scalars('certificate', 'key', 'clientauth', 'minimumtls'),
    clientcas: strings,
    ciphersuites: strings,
    letsencrypt: struct({ ...scalars('cachefile', 'email', 'directoryurl'), hosts: strings }),
  }),
  headers,
  debug: struct({ addr: scalar, prometheus: struct(scalars('enabled', 'path')) }),
  http2: struct(scalars('disabled')),
  h2c: struct(scalars('enabled')),
});

const notifications = struct({
  events: goName('EVENTCONFIG', struct(scalars('includereferences'))),
  endpoints: list(
    struct({
      ...scalars('name', 'disabled', 'url', 'timeout', 'threshold', 'backoff'),
      headers,
      ignoredmediatypes: strings,
      ignore: struct({ mediatypes: strings, actions: strings }),
    }),
  ),
});

/** v2.8 (redigo pool) and v3 (go-redis UniversalOptions, inlined) keys together. */
const redis = struct({
  ...scalars('addr', 'password', 'db', 'dialtimeout', 'readtimeout', 'writetimeout'),
  pool: struct(scalars('maxidle', 'maxactive', 'idletimeout')),
  addrs: strings,
  ...scalars('clientname', 'protocol', 'username', 'sentinelusername', 'sentinelpassword'),
  ...scalars('mastername', 'maxretries', 'minretrybackoff', 'maxretrybackoff'),
  ...scalars('contexttimeoutenabled', 'poolfifo', 'poolsize', 'pooltimeout'),
  ...scalars('minidleconns', 'maxidleconns', 'maxactiveconns', 'connmaxidletime'),
  ...scalars('connmaxlifetime', 'maxredirects', 'readonly', 'routebylatency', 'routerandomly'),
  ...scalars('disableindentity', 'disableidentity', 'identitysuffix', 'unstableresp3'),
  tls: struct({
    ...scalars('enabled', 'certificate', 'key'),
    clientcas: strings,
    rootcas: strings,
  }),
});

const health = struct({
  storagedriver: struct(scalars('enabled', 'interval', 'threshold')),
  file: goName(
    'FILECHECKERS',
    list(
      struct({
        ...scalars('file', 'interval'),
        // A field of distribution's FileChecker that its health checks never read.
        threshold: { kind: 'scalar', warning: 'is ignored, as in distribution' },
      }),
    ),
  ),
  http: goName(
    'HTTPCHECKERS',
    list(struct({ ...scalars('uri', 'statuscode', 'timeout', 'interval', 'threshold'), headers })),
  ),
  tcp: goName('TCPCHECKERS', list(struct(scalars('addr', 'timeout', 'interval', 'threshold')))),
});

const validation = struct({
  ...scalars('enabled', 'disabled'),
  manifests: struct({
    urls: struct({ allow: strings, deny: strings }),
    indexes: struct({
      platforms: scalar,
      platformlist: list(struct(scalars('architecture', 'os'))),
    }),
  }),
});

export const configurationSchema: StructShape = struct({
  version: scalar,
  log,
  loglevel: { kind: 'scalar', warning: 'is deprecated; use log.level' },
  storage,
  auth,
  middleware: struct({ registry: middleware, repository: middleware, storage: middleware }),
  reporting: struct({
    bugsnag: notSupported(struct(scalars('apikey', 'releasestage', 'endpoint'))),
    newrelic: notSupported(struct(scalars('licensekey', 'name', 'verbose'))),
  }),
  http,
  notifications,
  redis,
  health,
  proxy: { kind: 'open', refused: 'proxy (pull-through cache) is not supported by Lading' },
  catalog: struct(scalars('maxentries')),
  tags: struct(scalars('maxtags')),
  validation,
  policy: struct({ repository: notSupported(struct({ classes: strings })) }),
  compatibility: struct({
    schema1: struct({ signingkeyfile: goName('TRUSTKEY', scalar), enabled: scalar }),
  }),
  // Lading's own settings live here, apart from distribution's keys.
  lading: struct({
    tokenservice: struct({
      ...scalars('path', 'issuer', 'key', 'certificate', 'lifetime', 'refreshlifetime', 'users'),
      services: list(scalar),
    }),
    projects: struct({
      database: struct(scalars('sqlite', 'postgres', 'maxconnections')),
      ...scalars('apipath', 'bcryptcost'),
    }),
    notifications: struct(scalars('spooldirectory', 'maxspoolbytes')),
  }),
});
