import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { ossEmulatorCli, putBucketRequest } from '../src/index.js';
import { newAccessKey, ossFailure } from './helpers.js';
import { ossClient } from './oss-client.js';

describe('OSS emulator CLI', function () {
  this.timeout(30_000);
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-oss-cli-test-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx/esm', ossEmulatorCli, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints {"endpoint"} once listening on 127.0.0.1, accepts its keys only, stops on SIGTERM', async () => {
    const key = newAccessKey();
    const other = newAccessKey();
    const child = run([
      ...['--directory', join(directory, 'data'), '--port', '0'],
      ...['--access-key', `${key.accessKeyId}:${key.accessKeySecret}`],
      ...['--access-key', `${other.accessKeyId}:${other.accessKeySecret}`],
    ]);
    const exited = once(child, 'exit');
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { endpoint } = JSON.parse(line) as { endpoint: string };
      expect(endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const created = await putBucketRequest({ endpoint, ...key, bucket: 'lading-cli' });
      expect(created.status).to.equal(200);
      const again = await putBucketRequest({ endpoint, ...other, bucket: 'lading-cli' });
      expect(again.status).to.equal(409);
      expect(await again.text()).to.include('<Code>BucketAlreadyExists</Code>');
      const client = ossClient({ ...other, endpoint, bucket: 'lading-cli' });
      await client.put('f', Buffer.from('from the cli'));
      expect((await client.get('f')).content.toString()).to.equal('from the cli');
      const stranger = ossClient({ ...newAccessKey(), endpoint, bucket: 'lading-cli' });
      expect((await ossFailure(stranger.get('f'))).code).to.equal('InvalidAccessKeyId');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await exited) as [number | null];
    expect(code).to.equal(0);
  });

  it('exits 1 with the usage without --directory or without an access key', async () => {
    for (const args of [
      ['--access-key', 'id:secret'],
      ['--directory', directory],
    ]) {
      const child = run(args);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).to.equal(1);
      expect(stderr).to.include('usage:');
    }
  });

  it('binds loopback addresses only', async () => {
    const child = run(['--directory', directory, '--host', '0.0.0.0', '--access-key', 'id:secret']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).to.equal(1);
    expect(stderr).to.include('loopback addresses only');
  });
});
