/**
 * The embedded default, used when `lading serve` is given no config file: a
 * registry, its token service and the projects model for one machine, on
 * loopback, everything under ./data. The realm follows the request's Host
 * (`autoredirect`), so it stays right when REGISTRY_HTTP_ADDR moves the port.
 * `REGISTRY_*` environment variables still apply, as to any config.
 */
export const defaultConfigYaml = `version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: ./data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
auth:
  token:
    realm: http://127.0.0.1:5000/jwt/auth
    autoredirect: true
    autoredirectpath: /jwt/auth
    service: lading-registry
    issuer: lading
    rootcertbundle: ./data/token.pem
lading:
  tokenservice:
    issuer: lading
    key: ./data/token.key
    certificate: ./data/token.pem
  projects:
    database:
      sqlite: ./data/lading.db
  notifications:
    spooldirectory: ./data/notifications
`;

/** Where the embedded default keeps what it generates, next to the data. */
export const defaultDataDirectory = './data';
export const defaultSecretFile = './data/.lading-http-secret';
export const initialAdminPasswordFile = './data/initial-admin-password';
export const initialAdminName = 'admin';
