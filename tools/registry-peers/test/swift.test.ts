import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startSwift, type RunningSwift, type SwiftProcessName } from '../src/index.js';
import { removeAbandonedTempDirectories } from '../src/owned-temp-directory.js';
import { proxyServerConf, renderIni } from '../src/swift-config.js';
import { swiftPartPower } from '../src/swift-rings.js';
import { cleanupStack, eventually, processIsGone, temporaryDirectory } from './helpers.js';

const abandonedSwift = fileURLToPath(new URL('./fixtures/abandoned-swift.ts', import.meta.url));
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

/**
 * A GET signed with AWS Signature Version 4, as an S3 SDK would send it (header auth, empty
 * body): enough to prove that s3api takes our credentials, without an SDK in this package.
 */
function signedGet(
  s3: RunningSwift['s3'],
  path: string,
  query: Record<string, string> = {},
  secretAccessKey = s3.secretAccessKey,
): Promise<Response> {
  const url = new URL(path, s3.endpoint);
  const encode = (text: string) =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  url.search = Object.keys(query)
    .sort()
    .map((name) => `${encode(name)}=${encode(query[name] ?? '')}`)
    .join('&');
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256('');
  const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
  const canonicalRequest = [
    'GET',
    url.pathname,
    url.search.slice(1),
    `host:${url.host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\n`,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${s3.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = ['aws4_request', 's3', s3.region, day]
    .reverse()
    .reduce<Buffer | string>((key, part) => hmac(key, part), `AWS4${secretAccessKey}`);
  const signature = hmac(signingKey, stringToSign).toString('hex');
  return fetch(url, {
    headers: {
      'x-amz-date': amzDate,
      'x-amz-content-sha256': payloadHash,
      authorization:
        `AWS4-HMAC-SHA256 Credential=${s3.accessKeyId}/${scope}, ` +
        `SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
  });
}

/** The message `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String(error);
  }
  return expect.fail('must be rejected');
}

/** The text of every `<tag>` in `xml`. */
function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map(
    (match) => match[1] ?? '',
  );
}

/** Swift's hash_path: md5 of PREFIX/account[/container[/object]]SUFFIX, and its partition. */
function hashPath(swiftConf: string, ...names: string[]): { hash: string; partition: number } {
  const setting = (name: string) => new RegExp(`^${name} = (\\S+)$`, 'm').exec(swiftConf)?.[1];
  const prefix = setting('swift_hash_path_prefix');
  const suffix = setting('swift_hash_path_suffix');
  if (prefix === undefined || suffix === undefined) throw new Error('no hash settings');
  const digest = createHash('md5')
    .update(`${prefix}/${names.join('/')}${suffix}`)
    .digest();
  return {
    hash: digest.toString('hex'),
    partition: digest.readUInt32BE(0) >>> (32 - swiftPartPower),
  };
}

describe('startSwift', function () {
  this.timeout(60_000);
  const cleanups = cleanupStack();
  let swift: RunningSwift;
  let startedInMs: number;
  after(() => cleanups.run());

  before(async () => {
    const started = Date.now();
    swift = await startSwift({
      constraints: { container_listing_limit: '100' },
      proxySettings: { 'filter:s3api': { max_bucket_listing: '2' } },
    });
    startedInMs = Date.now() - started;
    cleanups.add(() => swift.stop());
  });

  /** A TempAuth login: the token and the storage URL. */
  async function login(): Promise<{ token: string; storageUrl: string }> {
    const response = await fetch(swift.swift.authUrl, {
      headers: { 'X-Auth-User': swift.swift.user, 'X-Auth-Key': swift.swift.key },
    });
    expect(response.status).to.equal(200);
    const token = response.headers.get('X-Auth-Token') ?? '';
    const storageUrl = response.headers.get('X-Storage-Url') ?? '';
    return { token, storageUrl };
  }

  it('starts in seconds, on 127.0.0.1, with the S3 and TempAuth settings', () => {
    expect(startedInMs).to.be.below(20_000);
    expect(swift.s3.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(swift.s3).to.include({
      region: 'us-east-1',
      accessKeyId: 'test:tester',
      secretAccessKey: 'testing',
    });
    expect(swift.swift).to.deep.equal({
      authUrl: `${swift.s3.endpoint}/auth/v1.0`,
      user: 'test:tester',
      key: 'testing',
    });
  });

  it('logs in with TempAuth and round-trips an object through the native API', async () => {
    const { token, storageUrl } = await login();
    expect(token).to.match(/^AUTH_tk[0-9a-f]+$/);
    expect(storageUrl).to.equal(`${swift.s3.endpoint}/v1/AUTH_test`);
    const auth = { 'X-Auth-Token': token };

    const container = await swift.createBucket();
    expect(container).to.match(/^lading-[0-9a-f]{12}$/);
    const object = `${storageUrl}/${container}/dir/hello.txt`;
    const put = await fetch(object, { method: 'PUT', headers: auth, body: 'hello, swift' });
    expect(put.status).to.equal(201);
    expect(put.headers.get('Etag')).to.equal(
      createHash('md5').update('hello, swift').digest('hex'),
    );

    const get = await fetch(object, { headers: auth });
    expect(get.status).to.equal(200);
    expect(await get.text()).to.equal('hello, swift');
    const ranged = await fetch(object, { headers: { ...auth, Range: 'bytes=7-11' } });
    expect(ranged.status).to.equal(206);
    expect(ranged.headers.get('Content-Range')).to.equal('bytes 7-11/12');
    expect(await ranged.text()).to.equal('swift');

    const listing = await fetch(`${storageUrl}/${container}?format=json`, { headers: auth });
    const entries = (await listing.json()) as { name: string; bytes: number }[];
    expect(entries.map(({ name, bytes }) => ({ name, bytes }))).to.deep.equal([
      { name: 'dir/hello.txt', bytes: 12 },
    ]);
    // Without a token: TempAuth refuses.
    expect((await fetch(object)).status).to.equal(401);
  });

  it('has every server read its own swift.conf, not /etc/swift/swift.conf', async () => {
    const swiftConf = await readFile(join(swift.directory, 'swift.conf'), 'utf8');
    const { token, storageUrl } = await login();
    const container = await swift.createBucket();
    const put = await fetch(`${storageUrl}/${container}/probe`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': token },
      body: 'x',
    });
    expect(put.status).to.equal(201);

    // The proxy picks the partition and each storage server the directory name, both from the
    // hash path prefix and suffix: with /etc/swift's, neither would match.
    const device = join(swift.directory, 'devices/d1');
    const where = (kind: string, ...names: string[]) => {
      const { hash, partition } = hashPath(swiftConf, ...names);
      return { directory: join(device, kind, String(partition), hash.slice(-3), hash), hash };
    };
    const objectPath = where('objects', 'AUTH_test', container, 'probe');
    expect((await readdir(objectPath.directory)).some((name) => name.endsWith('.data'))).to.equal(
      true,
    );
    const containerPath = where('containers', 'AUTH_test', container);
    expect(existsSync(join(containerPath.directory, `${containerPath.hash}.db`))).to.equal(true);
    const accountPath = where('accounts', 'AUTH_test');
    expect(existsSync(join(accountPath.directory, `${accountPath.hash}.db`))).to.equal(true);

    for (const server of ['account', 'container', 'object', 'proxy']) {
      expect(swift.logs()).to.include(
        `lading: ${server}-server reads ${join(swift.directory, 'swift.conf')}`,
      );
    }
    // The constraint set through startSwift's options, as the proxy reports it.
    const info = (await (await fetch(`${swift.s3.endpoint}/info`)).json()) as {
      swift: { container_listing_limit: number };
    };
    expect(info.swift.container_listing_limit).to.equal(100);
  });

  it('answers S3 requests through s3api, with the Swift data', async () => {
    const bucket = await swift.createBucket();
    const { token, storageUrl } = await login();
    for (const key of ['a.txt', 'b.txt', 'c.txt']) {
      const put = await fetch(`${storageUrl}/${bucket}/${key}`, {
        method: 'PUT',
        headers: { 'X-Auth-Token': token },
        body: key,
      });
      expect(put.status).to.equal(201);
    }

    const buckets = await signedGet(swift.s3, '/');
    const bucketsXml = await buckets.text();
    expect(buckets.status, bucketsXml).to.equal(200);
    expect(xmlValues(bucketsXml, 'Name')).to.include(bucket);

    // max_bucket_listing 2, from startSwift's proxySettings.
    const listed = await signedGet(swift.s3, `/${bucket}`, { 'list-type': '2' });
    const listedXml = await listed.text();
    expect(listed.status, listedXml).to.equal(200);
    expect(xmlValues(listedXml, 'Key')).to.deep.equal(['a.txt', 'b.txt']);
    expect(xmlValues(listedXml, 'IsTruncated')).to.deep.equal(['true']);

    const object = await signedGet(swift.s3, `/${bucket}/c.txt`);
    expect(await object.text()).to.equal('c.txt');

    // s3api checks the signature with the secret TempAuth holds, and answers in S3's XML.
    const forged = await signedGet(swift.s3, '/', {}, 'not-the-secret');
    expect(forged.status).to.equal(403);
    expect(forged.headers.get('Content-Type')).to.equal('application/xml');
    expect(xmlValues(await forged.text(), 'Code')).to.deep.equal(['SignatureDoesNotMatch']);
  });

  it('createBucket refuses names S3 would refuse, and existing ones', async () => {
    for (const name of ['ab', 'Upper', '-dash', 'dot..dot', 'a/b', 'x'.repeat(64)]) {
      expect(await failure(swift.createBucket(name))).to.include('invalid bucket name');
    }
    const name = await swift.createBucket('lading.fixed-name');
    expect(name).to.equal('lading.fixed-name');
    // 202 Accepted: Swift's answer for a container that exists.
    expect(await failure(swift.createBucket(name))).to.include('PUT answered 202');
  });

  it('stop() ends every process and removes the directory; a second stop() is harmless', async () => {
    const pids = Object.values(swift.pids);
    expect(pids).to.have.length(5);
    for (const pid of pids) expect(await processIsGone(pid)).to.equal(false);
    await swift.stop();
    for (const pid of pids) expect(await processIsGone(pid), String(pid)).to.equal(true);
    expect(existsSync(swift.directory)).to.equal(false);
    await swift.stop();
    expect(await failure(swift.createBucket())).to.include('Swift is stopped');
  });
});

describe('Swift of a killed test process', function () {
  this.timeout(60_000);

  it('dies with it, and the next start clears its directory', async () => {
    // Not through c8: the fixture is test code.
    const { NODE_V8_COVERAGE: _coverage, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', abandonedSwift], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: packageDirectory,
      env,
    });
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const started = JSON.parse(line) as {
      pids: Record<SwiftProcessName, number>;
      directory: string;
    };
    const pids = Object.values(started.pids);
    try {
      for (const pid of pids) expect(await processIsGone(pid)).to.equal(false);
      child.kill('SIGKILL');
      await exited;
      for (const pid of pids) {
        expect(await eventually(() => processIsGone(pid), 5_000), String(pid)).to.equal(true);
      }
      expect(existsSync(started.directory), 'left behind').to.equal(true);
      expect(await removeAbandonedTempDirectories('lading-swift-')).to.include(started.directory);
      expect(existsSync(started.directory), 'cleared').to.equal(false);
    } finally {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone, as it should be.
        }
      }
    }
  });
});

describe('abandoned temp directories', () => {
  it('are removed once their process is gone, and only then', async () => {
    const temporary = await temporaryDirectory();
    try {
      const dead = spawn('true');
      await once(dead, 'exit');
      const base = temporary.path;
      const abandoned = join(base, `lading-swift-${String(dead.pid)}-AbC123`);
      const ours = join(base, `lading-swift-${String(process.pid)}-AbC123`);
      const other = join(base, `lading-postgres-${String(dead.pid)}-AbC123`);
      for (const directory of [abandoned, ours, other]) {
        await mkdir(join(directory, 'devices/d1'), { recursive: true });
      }
      expect(await removeAbandonedTempDirectories('lading-swift-', base)).to.deep.equal([
        abandoned,
      ]);
      expect([abandoned, ours, other].map((directory) => existsSync(directory))).to.deep.equal([
        false,
        true,
        true,
      ]);
    } finally {
      await temporary.remove();
    }
  });
});

describe('proxy-server.conf', () => {
  it('merges extra settings over the defaults, section by section', () => {
    const layout = {
      directory: '/tmp/swift',
      ports: { proxy: 1, account: 2, container: 3, object: 4, memcached: 5 },
    };
    const conf = proxyServerConf(layout, {
      'filter:s3api': { max_bucket_listing: '2' },
      'filter:extra': { use: 'egg:swift#extra' },
    });
    const s3api = /\[filter:s3api\]\n([^[]*)/.exec(conf)?.[1] ?? '';
    expect(s3api).to.include('location = us-east-1\n').and.include('max_bucket_listing = 2\n');
    expect(conf).to.include('[filter:extra]\nuse = egg:swift#extra\n');
    expect(conf).to.match(/pipeline = .* ratelimit s3api tempauth copy slo /);
    expect(conf).to.include('memcache_servers = 127.0.0.1:5\n');
    // The only memcached is never given up on after a slow moment (Swift's 0.3 s default).
    const cache = /\[filter:cache\]\n([^[]*)/.exec(conf)?.[1] ?? '';
    expect(cache).to.include('connect_timeout = 5\n').and.include('error_suppression_limit = ');
  });

  it('refuses values that would change the file structure', () => {
    expect(() => renderIni({ a: { b: 'c\n[d]' } })).to.throw(/one line/);
    expect(() => renderIni({ 'a]': {} })).to.throw(/section name/);
    expect(() => renderIni({ a: { 'b = c': 'd' } })).to.throw(/setting name/);
  });
});
