/**
 * The embedded default, used when `lading serve` is given no config file:
 * a registry for one machine, on the filesystem under ./data, on loopback.
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
`;

/** Where the embedded default keeps the upload secret it generates, next to the data. */
export const defaultSecretFile = './data/.lading-http-secret';
