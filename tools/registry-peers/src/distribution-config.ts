/** What goes into the docker-registry config.yml this package writes. */
export interface DistributionConfig {
  rootDirectory: string;
  port: number;
  deleteEnabled: boolean;
  /** auth.htpasswd.path: Basic auth against this bcrypt htpasswd file; no auth without it. */
  htpasswdPath?: string;
  /** auth.token: Docker token auth against an external token server. */
  token?: TokenAuthSettings;
  /** log.level; `info` by default. */
  logLevel?: DistributionLogLevel;
  /** Whether to log a line per request (log.accesslog.disabled is its negation); on by default. */
  accessLog?: boolean;
}

/** distribution's log levels, quietest first (it also knows panic and fatal). */
export type DistributionLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** distribution's `auth.token` keys; `rootcertbundle` is a path to a PEM file. */
export interface TokenAuthSettings {
  realm: string;
  service: string;
  issuer: string;
  rootcertbundle: string;
}

/** The realm distribution names in its `WWW-Authenticate: Basic realm=…` challenge. */
export const htpasswdRealm = 'lading-registry-peers';

/**
 * A distribution 2.8 config.yml: filesystem storage, plain HTTP on 127.0.0.1 only, no debug
 * server, and no auth unless an htpasswd file is given. Strings are written as JSON, which YAML
 * reads as double-quoted scalars.
 */
export function distributionConfigYaml(config: DistributionConfig): string {
  return [
    'version: 0.1',
    'log:',
    `  level: ${config.logLevel ?? 'info'}`,
    '  formatter: text',
    ...(config.accessLog === false ? ['  accesslog:', '    disabled: true'] : []),
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(config.rootDirectory)}`,
    '  delete:',
    `    enabled: ${String(config.deleteEnabled)}`,
    '  maintenance:',
    // The purger walks _uploads in the background; tests want the root left as the API wrote it.
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${JSON.stringify(`127.0.0.1:${config.port}`)}`,
    'health:',
    // Off: the periodic check would touch storage on a timer, traffic the tests did not cause.
    '  storagedriver:',
    '    enabled: false',
    ...(config.htpasswdPath === undefined
      ? []
      : [
          'auth:',
          '  htpasswd:',
          `    realm: ${JSON.stringify(htpasswdRealm)}`,
          `    path: ${JSON.stringify(config.htpasswdPath)}`,
        ]),
    ...(config.token === undefined
      ? []
      : [
          'auth:',
          '  token:',
          `    realm: ${JSON.stringify(config.token.realm)}`,
          `    service: ${JSON.stringify(config.token.service)}`,
          `    issuer: ${JSON.stringify(config.token.issuer)}`,
          `    rootcertbundle: ${JSON.stringify(config.token.rootcertbundle)}`,
        ]),
    '',
  ].join('\n');
}
