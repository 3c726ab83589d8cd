import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, configPath, loadConfig } from '../src/index.js';
import { minimal } from './helpers.js';

describe('loadConfig', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-config-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads a file, with environment overrides', async () => {
    const path = join(directory, 'config.yml');
    await writeFile(path, minimal);
    const { config, warnings } = await loadConfig(path, { env: { REGISTRY_HTTP_ADDR: ':7000' } });
    expect(config.http.addr).to.equal(':7000');
    expect(warnings).to.deep.equal([]);
  });

  it('names the file in validation errors', async () => {
    const path = join(directory, 'config.yml');
    await writeFile(path, `${minimal}http: {addr: localhost}\n`);
    const error = await loadConfig(path, { env: {} }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.equal(
      `${path}: http.addr: "localhost" is not valid; expected host:port or :port`,
    );
  });

  it('names the path of a file it cannot read', async () => {
    const path = join(directory, 'missing.yml');
    const error = await loadConfig(path, { env: {} }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).to.match(
      new RegExp(`^${path}: cannot read the configuration file: ENOENT: no such file or directory`),
    );
    expect(configError).to.include({ key: '', value: path, source: path });
    expect((configError.cause as NodeJS.ErrnoException).code).to.equal('ENOENT');
  });
});

describe('configPath', () => {
  it('takes the argument, else REGISTRY_CONFIGURATION_PATH, else nothing', () => {
    const env = { REGISTRY_CONFIGURATION_PATH: '/etc/distribution/config.yml' };
    expect(configPath('/srv/config.yml', env)).to.equal('/srv/config.yml');
    expect(configPath(undefined, env)).to.equal('/etc/distribution/config.yml');
    expect(configPath('', env)).to.equal('/etc/distribution/config.yml');
    expect(configPath(undefined, {})).to.equal(undefined);
    expect(configPath(undefined, { REGISTRY_CONFIGURATION_PATH: '' })).to.equal(undefined);
  });
});
