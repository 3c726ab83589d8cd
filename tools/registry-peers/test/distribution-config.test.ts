import { expect } from 'chai';
import { distributionConfigYaml } from '../src/distribution-config.js';

const base = { rootDirectory: '/srv/registry', port: 5000, deleteEnabled: false };

/** The lines of the `log:` section, up to the next top-level key. */
function logSection(yaml: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.indexOf('log:');
  const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
  return lines.slice(start, end);
}

describe('distributionConfigYaml', () => {
  it('logs at info, with access lines, by default', () => {
    expect(logSection(distributionConfigYaml(base))).to.deep.equal([
      'log:',
      '  level: info',
      '  formatter: text',
    ]);
  });

  it('writes log.level and log.accesslog.disabled when asked', () => {
    const yaml = distributionConfigYaml({ ...base, logLevel: 'warn', accessLog: false });
    expect(logSection(yaml)).to.deep.equal([
      'log:',
      '  level: warn',
      '  formatter: text',
      '  accesslog:',
      '    disabled: true',
    ]);
  });

  it('leaves the access log alone when it is asked for explicitly', () => {
    const yaml = distributionConfigYaml({ ...base, logLevel: 'error', accessLog: true });
    expect(logSection(yaml)).to.deep.equal(['log:', '  level: error', '  formatter: text']);
  });
});
