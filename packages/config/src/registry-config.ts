/**
 * The registry configuration after validation: distribution's config.yml sections,
 * every default applied, durations in milliseconds. Key names stay distribution's
 * (`relativeurls`, `draintimeout`) so the documentation of either applies.
 */
export interface RegistryConfig {
  readonly version: '0.1';
  readonly log: LogConfig;
  readonly storage: StorageConfig;
  readonly auth: AuthConfig;
  readonly http: HttpConfig;
  readonly notifications: NotificationsConfig;
  /** As given; v2.8 (`addr`, `pool`) and v3 (`addrs`, go-redis options) keys alike. */
  readonly redis?: Readonly<Record<string, unknown>>;
  readonly health: HealthConfig;
  readonly catalog: { readonly maxentries: number };
  readonly tags: { readonly maxtags: number };
  readonly validation: ValidationConfig;
  readonly compatibility: CompatibilityConfig;
  /** Lading's own settings, apart from distribution's keys. None exist yet. */
  readonly lading: LadingConfig;
}

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export type LogFormatter = 'text' | 'json' | 'logstash';

export interface LogConfig {
  readonly level: LogLevel;
  readonly formatter: LogFormatter;
  /** Static fields added to every log line. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly accesslog: { readonly disabled: boolean };
  readonly reportcaller: boolean;
}

export interface StorageConfig {
  readonly driver: StorageDriverConfig;
  readonly delete: { readonly enabled: boolean };
  readonly redirect: { readonly disable: boolean };
  readonly cache: StorageCacheConfig;
  readonly maintenance: MaintenanceConfig;
  readonly tag: { readonly concurrencylimit?: number };
}

export interface StorageDriverConfig {
  /** The driver's section name: `filesystem`, `s3`, or a plugin's. */
  readonly name: string;
  /** Not validated here: the driver does that. Top-level keys lower-cased. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

export interface StorageCacheConfig {
  readonly blobdescriptor?: 'inmemory' | 'redis';
  readonly blobdescriptorsize?: number;
}

export interface MaintenanceConfig {
  readonly uploadpurging: {
    readonly enabled: boolean;
    readonly age: number;
    readonly interval: number;
    readonly dryrun: boolean;
  };
  readonly readonly: { readonly enabled: boolean };
}

export type AuthConfig =
  | { readonly kind: 'none' }
  | { readonly kind: 'silly'; readonly realm: string; readonly service: string }
  | TokenAuthConfig
  | { readonly kind: 'htpasswd'; readonly realm: string; readonly path: string };

export interface TokenAuthConfig {
  readonly kind: 'token';
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** Certificates whose keys sign tokens; optional when `jwks` is given (distribution v3). */
  readonly rootcertbundle?: string;
  readonly jwks?: string;
  readonly autoredirect: boolean;
  readonly autoredirectpath?: string;
  readonly signingalgorithms?: readonly string[];
}

export interface HttpConfig {
  readonly addr: string;
  readonly net: 'tcp' | 'unix';
  readonly prefix: string;
  /** The externally reachable base URL for generated links. */
  readonly host?: string;
  readonly secret?: string;
  readonly relativeurls: boolean;
  readonly draintimeout: number;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly http2: { readonly disabled: boolean };
  readonly h2c: { readonly enabled: boolean };
  /** Present when a certificate and key, or Let's Encrypt, are configured. */
  readonly tls?: TlsConfig;
  /** Present when `http.debug.addr` is set. */
  readonly debug?: DebugConfig;
}

export type ClientAuth =
  | 'request-client-cert'
  | 'require-any-client-cert'
  | 'verify-client-cert-if-given'
  | 'require-and-verify-client-cert';

export type MinimumTls = 'tls1.0' | 'tls1.1' | 'tls1.2' | 'tls1.3';

/**
 * `http.tls`: a certificate and key, or (without them) Let's Encrypt — never both, so
 * narrowing on `letsencrypt` gives the certificate paths as strings.
 */
export type TlsConfig = TlsSettings & (CertificateTls | LetsEncryptTls);

export interface TlsSettings {
  readonly clientcas: readonly string[];
  readonly clientauth: ClientAuth;
  readonly minimumtls: MinimumTls;
  /** Go cipher-suite names; empty means the defaults. */
  readonly ciphersuites: readonly string[];
}

export interface CertificateTls {
  readonly certificate: string;
  readonly key: string;
  readonly letsencrypt?: undefined;
}

export interface LetsEncryptTls {
  readonly certificate?: undefined;
  readonly key?: undefined;
  readonly letsencrypt: LetsEncryptConfig;
}

export interface LetsEncryptConfig {
  readonly cachefile: string;
  readonly email: string;
  readonly hosts: readonly string[];
  readonly directoryurl?: string;
}

export interface DebugConfig {
  readonly addr: string;
  readonly prometheus: { readonly enabled: boolean; readonly path: string };
}

export interface NotificationsConfig {
  readonly events: { readonly includereferences: boolean };
  readonly endpoints: readonly NotificationEndpointConfig[];
}

export interface NotificationEndpointConfig {
  readonly name: string;
  readonly disabled: boolean;
  readonly url: string;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly timeout: number;
  readonly threshold: number;
  readonly backoff: number;
  readonly ignoredmediatypes: readonly string[];
  readonly ignore: { readonly mediatypes: readonly string[]; readonly actions: readonly string[] };
}

export interface HealthConfig {
  readonly storagedriver: {
    readonly enabled: boolean;
    readonly interval: number;
    readonly threshold: number;
  };
  readonly file: readonly FileHealthCheck[];
  readonly http: readonly HttpHealthCheck[];
  readonly tcp: readonly TcpHealthCheck[];
}

export interface FileHealthCheck {
  readonly file: string;
  readonly interval: number;
}

export interface HttpHealthCheck {
  readonly uri: string;
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly statuscode: number;
  /** 0: no timeout, as in distribution. */
  readonly timeout: number;
  readonly interval: number;
  readonly threshold: number;
}

export interface TcpHealthCheck {
  readonly addr: string;
  /** 0: no timeout, as in distribution. */
  readonly timeout: number;
  readonly interval: number;
  readonly threshold: number;
}

export interface ValidationConfig {
  readonly enabled: boolean;
  readonly manifests: {
    readonly urls: { readonly allow: readonly RegExp[]; readonly deny: readonly RegExp[] };
    readonly indexes: {
      readonly platforms: 'all' | 'list' | 'none';
      readonly platformlist: readonly { readonly architecture: string; readonly os: string }[];
    };
  };
}

export interface CompatibilityConfig {
  readonly schema1: { readonly enabled: boolean; readonly signingkeyfile?: string };
}

/** `lading`: Lading's own settings, apart from distribution's keys. */
export interface LadingConfig {
  /** Present when this server also issues Docker tokens. */
  readonly tokenservice?: TokenServiceConfig;
  /** Present when users, groups and projects decide who gets which token. */
  readonly projects?: ProjectsConfig;
  /** Where webhook notifications wait until their endpoints take them; absent: the defaults. */
  readonly notifications?: LadingNotificationsConfig;
}

/** `lading.notifications`: the durable spool behind `notifications.endpoints`. */
export interface LadingNotificationsConfig {
  /** Local directory of the per-endpoint spools (default `./lading-notifications`). */
  readonly spooldirectory: string;
  /** Undelivered bytes kept per endpoint before new events are refused (default 256 MiB). */
  readonly maxspoolbytes: number;
}

/** `lading.projects`: the forge model (`@lading/projects`) and its REST API. */
export interface ProjectsConfig {
  /** Exactly one: a SQLite file, or a PostgreSQL connection URL. */
  readonly database:
    { readonly sqlite: string } | { readonly postgres: string; readonly maxconnections: number };
  /** Where the REST API is mounted (default `/api/v1`). */
  readonly apipath: string;
  /** bcrypt cost of new password hashes (default 12; 4 to 15). */
  readonly bcryptcost: number;
}

/** `lading.tokenservice`: the Docker token endpoint served beside the registry. */
export interface TokenServiceConfig {
  /** Where the endpoint is mounted (default `/jwt/auth`). */
  readonly path: string;
  /** The `iss` of issued tokens; the registry's `auth.token.issuer` must say the same. */
  readonly issuer: string;
  /** Audiences it issues for (`service` values); default `auth.token.service`. */
  readonly services: readonly string[];
  /** PEM private key (RSA or EC) that signs tokens. */
  readonly key: string;
  /** PEM certificate chain of the key; when given, tokens carry it as `x5c`. */
  readonly certificate?: string;
  /** Token lifetime, ms (default 5 minutes). */
  readonly lifetime: number;
  /** Refresh-token lifetime, ms (default 30 days). */
  readonly refreshlifetime: number;
  /** JSON file of users (bcrypt hashes) and access rules; absent when `lading.projects` decides. */
  readonly users?: string;
}

export interface LoadedConfig {
  readonly config: RegistryConfig;
  /** Keys accepted but not acted on, deprecated spellings, ignored variables. */
  readonly warnings: readonly string[];
}
