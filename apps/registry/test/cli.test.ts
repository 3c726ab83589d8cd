import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runLading, startLading } from './support/lading-process.js';

const minimal = (rootdirectory: string) => `version: 0.1
storage:
  filesystem:
    rootdirectory: ${rootdirectory}
http:
  addr: 127.0.0.1:0
`;

describe('the lading command', function () {
  this.timeout(60_000);
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-cli-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('explains itself with --help, for every command', async () => {
    const top = await runLading(['--help']);
    expect(top.code).to.equal(0);
    expect(top.stdout).to.contain('serve').and.contain('config');
    const serve = await runLading(['serve', '--help']);
    expect(serve.stdout).to.contain('config.yml').and.contain('REGISTRY_CONFIGURATION_PATH');
    const check = await runLading(['config', 'check', '--help']);
    expect(check.stdout).to.contain('validate a config file');
    expect((await runLading(['--version'])).stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
    const unknown = await runLading(['serv']);
    expect(unknown.code).to.not.equal(0);
    expect(unknown.stderr).to.contain('serve');
  });

  it('config check accepts a valid file, printing warnings, and names what is wrong in a bad one', async () => {
    const good = join(directory, 'good.yml');
    await writeFile(good, `${minimal(directory)}reporting:\n  bugsnag:\n    apikey: x\n`);
    const ok = await runLading(['config', 'check', good]);
    expect(ok.code).to.equal(0);
    expect(ok.stdout).to.contain(`${good}: valid`).and.contain('warning: reporting.bugsnag');
    const bad = join(directory, 'bad.yml');
    await writeFile(bad, `${minimal(directory)}  relativeurl: true\n`);
    const failed = await runLading(['config', 'check', bad]);
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.contain('http.relativeurl').and.contain('relativeurls');
    const missing = await runLading(['config', 'check', join(directory, 'nope.yml')]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('nope.yml');
    const fromEnvironment = await runLading(['config', 'check'], {
      REGISTRY_CONFIGURATION_PATH: good,
    });
    expect(fromEnvironment.code).to.equal(0);
  });

  it('config check and serve both refuse a bad storage driver parameter, naming the key', async () => {
    const path = join(directory, 's3.yml');
    await writeFile(
      path,
      'version: 0.1\nstorage:\n  s3:\n    bucket: images\n    region: eu-west-1\n    chunksize: 1024\nhttp:\n  addr: 127.0.0.1:0\n',
    );
    const expected =
      's3: invalid parameter "chunksize": expected an integer ≥ 5242880, got number 1024';
    const checked = await runLading(['config', 'check', path]);
    expect(checked.code, checked.stderr).to.equal(1);
    expect(checked.stderr).to.contain(expected);
    const served = await runLading(['serve', path]);
    expect(served.code).to.equal(1);
    expect(served.stderr).to.contain(expected);
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace('chunksize: 1024', 'chunksize: 16777216'),
    );
    expect((await runLading(['config', 'check', path])).stdout).to.contain(`${path}: valid`);
  });

  it('config check contacts no store: a swift config is checked offline', async () => {
    const path = join(directory, 'swift.yml');
    // Nothing listens on port 9: a driver that tried to log in would fail.
    const swift = (chunksize: number) =>
      `version: 0.1\nstorage:\n  swift:\n    authurl: http://127.0.0.1:9/auth/v1.0\n    username: a:b\n    password: c\n    container: registry\n    secretkey: k\n    chunksize: ${String(chunksize)}\nhttp:\n  addr: 127.0.0.1:0\n`;
    await writeFile(path, swift(1048576));
    const checked = await runLading(['config', 'check', path]);
    expect(checked.stdout, checked.stderr).to.contain(`${path}: valid`);
    await writeFile(path, swift(1024));
    const refused = await runLading(['config', 'check', path]);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain('swift: invalid parameter "chunksize"');
    // serve, though, logs in at start-up, and says why it cannot.
    await writeFile(path, swift(1048576));
    const served = await runLading(['serve', path]);
    expect(served.code).to.equal(1);
    expect(served.stderr).to.match(/Swift auth v1 GET http:\/\/127\.0\.0\.1:9\/auth\/v1\.0/);
  });

  it('config check names what is wrong in a gcs config: chunksize, credentials.client_email', async () => {
    const path = join(directory, 'gcs.yml');
    const account: Record<string, string> = {
      type: 'service_account',
      project_id: 'registry-project',
      client_email: 'registry@registry-project.iam.gserviceaccount.com',
      private_key: generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    };
    // Nothing listens on port 9: the check contacts no store.
    const gcs = (chunksize: number, credentials: Record<string, string>) =>
      `version: 0.1\nstorage:\n  gcs:\n    bucket: registry\n    endpoint: http://127.0.0.1:9\n    chunksize: ${String(chunksize)}\n    credentials:\n${Object.entries(
        credentials,
      )
        .map(([key, value]) => `      ${key}: ${JSON.stringify(value)}\n`)
        .join('')}http:\n  addr: 127.0.0.1:0\n`;
    await writeFile(path, gcs(4 * 262144, account));
    const checked = await runLading(['config', 'check', path]);
    expect(checked.stdout, checked.stderr).to.contain(`${path}: valid`);
    await writeFile(path, gcs(300000, account));
    const misaligned = await runLading(['config', 'check', path]);
    expect(misaligned.code).to.equal(1);
    expect(misaligned.stderr)
      .to.contain('gcs: invalid parameter "chunksize"')
      .and.contain('multiple of 262144')
      .and.contain('300000');
    const { client_email: _left, ...withoutEmail } = account;
    await writeFile(path, gcs(4 * 262144, withoutEmail));
    const incomplete = await runLading(['config', 'check', path]);
    expect(incomplete.code).to.equal(1);
    expect(incomplete.stderr).to.contain('gcs: invalid parameter "credentials.client_email"');
    expect(incomplete.stderr, 'the key stays secret').to.not.contain('PRIVATE KEY');
  });

  it('config check names what is wrong in an oss config: chunksize, encryptionkeyid', async () => {
    const path = join(directory, 'oss.yml');
    const secret = 'oss-secret-that-stays-here';
    // Nothing listens on port 9: the check contacts no store.
    const oss = (settings: string) =>
      `version: 0.1\nstorage:\n  oss:\n    accesskeyid: LTAI5tExampleKeyId000000\n    accesskeysecret: ${secret}\n    region: oss-cn-hangzhou\n    bucket: registry\n    endpoint: http://127.0.0.1:9\n${settings}http:\n  addr: 127.0.0.1:0\n`;
    await writeFile(
      path,
      oss('    chunksize: 5242880\n    encrypt: true\n    encryptionkeyid: kms-key\n'),
    );
    const checked = await runLading(['config', 'check', path]);
    expect(checked.stdout, checked.stderr).to.contain(`${path}: valid`);
    await writeFile(path, oss('    chunksize: 1024\n'));
    const small = await runLading(['config', 'check', path]);
    expect(small.code).to.equal(1);
    expect(small.stderr).to.contain(
      'oss: invalid parameter "chunksize": expected an integer ≥ 5242880, got number 1024',
    );
    await writeFile(path, oss('    encryptionkeyid: kms-key\n'));
    const unencrypted = await runLading(['config', 'check', path]);
    expect(unencrypted.code).to.equal(1);
    expect(unencrypted.stderr)
      .to.contain('oss: invalid parameter "encryptionkeyid"')
      .and.contain('encrypt: true');
    expect(small.stderr + unencrypted.stderr, 'the secret stays secret').to.not.contain(secret);
  });

  it('refuses to start on an invalid config, naming the key, the value and what was expected', async () => {
    const path = join(directory, 'config.yml');
    await writeFile(path, minimal(directory).replace('127.0.0.1:0', 'localhost'));
    const result = await runLading(['serve', path]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/http\.addr.*"localhost".*expected/);
    const overridden = await runLading(['serve', path], { REGISTRY_HTTP_ADDR: '127.0.0.1:99999' });
    expect(overridden.code).to.equal(1);
    expect(overridden.stderr).to.contain('REGISTRY_HTTP_ADDR');
  });

  it('refuses a storage driver it does not have, naming the ones it has', async () => {
    const path = join(directory, 'config.yml');
    await writeFile(path, 'version: 0.1\nstorage:\n  floppy: {}\nhttp:\n  addr: 127.0.0.1:0\n');
    const result = await runLading(['serve', path]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('unknown storage driver "floppy"');
    const known = /\(known: ([^)]*)\)/.exec(result.stderr)?.[1]?.split(', ');
    expect(known).to.include.members([
      'azure',
      'filesystem',
      'gcs',
      'inmemory',
      'oss',
      's3',
      'swift',
    ]);
  });

  it('applies REGISTRY_* environment overrides to a config file', async () => {
    const lading = await startLading({
      config: minimal('{dir}/data'),
      env: { REGISTRY_HTTP_RELATIVEURLS: 'true' },
    });
    try {
      const response = await fetch(`${lading.url}/v2/a/blobs/uploads/`, { method: 'POST' });
      expect(response.headers.get('location')).to.match(/^\/v2\/a\/blobs\/uploads\//);
    } finally {
      await lading.stop();
    }
  });
});
