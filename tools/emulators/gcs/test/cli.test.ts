import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { gcsEmulatorCli } from '../src/index.js';
import { newServiceAccount, sdkClient } from './helpers.js';

describe('GCS emulator CLI', function () {
  this.timeout(30_000);
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-gcs-cli-test-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx/esm', gcsEmulatorCli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints {"endpoint"} once listening on 127.0.0.1, takes key files, stops on SIGTERM', async () => {
    const account = newServiceAccount('cli');
    const keyFile = join(directory, 'key.json');
    // Google's key file format: the emulator derives the public key itself.
    await writeFile(keyFile, JSON.stringify({ type: 'service_account', ...account }));
    const child = run([
      '--directory',
      join(directory, 'data'),
      '--port',
      '0',
      '--service-account-file',
      keyFile,
    ]);
    const exited = once(child, 'exit');
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { endpoint } = JSON.parse(line) as { endpoint: string };
      expect(endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const storage = sdkClient(endpoint, account);
      await storage.createBucket('lading-cli');
      const file = storage.bucket('lading-cli').file('f');
      await file.save('from the cli', { resumable: false });
      const [url] = await file.getSignedUrl({
        version: 'v4',
        action: 'read',
        expires: Date.now() + 60_000,
      });
      expect(await (await fetch(url)).text()).to.equal('from the cli');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await exited) as [number | null];
    expect(code).to.equal(0);
  });

  it('exits 1 with the usage when --directory is missing', async () => {
    const child = run(['--port', '0']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).to.equal(1);
    expect(stderr).to.include('usage:');
  });
});
