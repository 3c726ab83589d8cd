/** What goes into the docker-registry config.yml this package writes. */
export interface DistributionConfig {
  rootDirectory: string;
  port: number;
  deleteEnabled: boolean;
}

/**
 * A distribution 2.8 config.yml: filesystem storage, plain HTTP on 127.0.0.1 only, no auth,
 * no debug server. Strings are written as JSON, which YAML reads as double-quoted scalars.
 */
export function distributionConfigYaml(config: DistributionConfig): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
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
    '',
  ].join('\n');
}
