import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { bcryptHtpasswd, ensureDebianPackages, startDistribution } from '../src/index.js';
import { closedPromise, stopChild } from '../src/stop-child.js';
import { waitUntilReady } from '../src/wait-until-ready.js';
import { eventually, processIsGone, temporaryDirectory } from './helpers.js';

const abandonedDistribution = fileURLToPath(
  new URL('./fixtures/abandoned-distribution.ts', import.meta.url),
);

/** Whether something still accepts connections on `host` (127.0.0.1:PORT). */
async function isListening(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** Binds `port` on 127.0.0.1 and releases it again; rejects if it is still taken. */
async function bindOnce(port: number): Promise<void> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  await new Promise((resolve) => server.close(resolve));
}

async function distributionConfigDirectories(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('lading-distribution-')).sort();
}

function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs the fixture that starts a server and abandons it; resolves with the server it started. */
async function startAbandoned(
  root: string,
  ending: 'exit' | 'hang',
): Promise<{ pid: number; host: string; kill: () => void; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', abandonedDistribution, root, ending], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const server = JSON.parse(line) as { pid: number; host: string };
  return { ...server, kill: () => child.kill('SIGKILL'), exited };
}

describe('distribution', function () {
  this.timeout(60_000);
  let temporary: Awaited<ReturnType<typeof temporaryDirectory>>;
  beforeEach(async () => {
    temporary = await temporaryDirectory();
  });
  afterEach(() => temporary.remove());

  it('serves the v2 API on 127.0.0.1 and stop() ends it and frees the port', async () => {
    const configsBefore = await distributionConfigDirectories();
    const registry = await startDistribution({ rootDirectory: join(temporary.path, 'root') });
    // Its config is read at start-up and removed then, so a crash cannot leave it behind.
    expect(await distributionConfigDirectories()).to.deep.equal(configsBefore);
    const port = Number(registry.host.split(':')[1]);
    expect(registry.host).to.match(/^127\.0\.0\.1:\d+$/);
    expect(registry.url).to.equal(`http://${registry.host}`);
    expect(registry.rootDirectory).to.equal(join(temporary.path, 'root'));
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('docker-distribution-api-version')).to.equal('registry/2.0');
    expect(registry.logs()).to.include(`listening on ${registry.host}`);

    const stopping = performance.now();
    await registry.stop();
    // distribution exits on SIGTERM at once; the SIGKILL after 5 s is only a fallback.
    expect(performance.now() - stopping).to.be.below(2_000);
    expect(await processIsGone(registry.pid), 'process gone').to.equal(true);
    expect(await isListening(registry.host), 'still answering').to.equal(false);
    await bindOnce(port);
    await registry.stop(); // a second stop is harmless
  });

  it('runs two servers side by side on different ports', async () => {
    const first = await startDistribution({ rootDirectory: join(temporary.path, 'one') });
    const second = await startDistribution({ rootDirectory: join(temporary.path, 'two') });
    try {
      expect(first.host).to.not.equal(second.host);
      expect((await fetch(`${second.url}/v2/`)).status).to.equal(200);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('starts quiet at logLevel warn without an access log', async () => {
    const registry = await startDistribution({
      rootDirectory: join(temporary.path, 'root'),
      logLevel: 'warn',
      accessLog: false,
    });
    try {
      const response = await fetch(`${registry.url}/v2/_catalog?n=7`);
      await response.body?.cancel();
      expect(response.status).to.equal(200);
      // At info it says `listening on …`, and it logs every request twice: a `response
      // completed` line at info and an access-log line. (Failed requests are errors, logged.)
      await registry.stop();
      expect(registry.logs()).to.not.include('listening on');
      expect(registry.logs()).to.not.include('_catalog');
    } finally {
      await registry.stop();
    }
  });

  for (const deleteEnabled of [true, false]) {
    it(`passes deleteEnabled: ${String(deleteEnabled)} to storage.delete.enabled`, async () => {
      const registry = await startDistribution({
        rootDirectory: join(temporary.path, 'root'),
        deleteEnabled,
      });
      try {
        const digest = `sha256:${'0'.repeat(64)}`;
        const response = await fetch(`${registry.url}/v2/library/demo/blobs/${digest}`, {
          method: 'DELETE',
        });
        await response.body?.cancel();
        // With deletes on, the unknown blob is "not found"; with them off the method is refused.
        expect(response.status).to.equal(deleteEnabled ? 404 : 405);
      } finally {
        await registry.stop();
      }
    });
  }

  it('asks for a Docker token from the configured realm when given token auth', async () => {
    await ensureDebianPackages({ openssl: 'openssl' });
    const bundle = join(temporary.path, 'token.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=token signer',
        '-keyout',
        join(temporary.path, 'token.key'),
        '-out',
        bundle,
      ],
      { stdio: 'ignore' },
    );
    const registry = await startDistribution({
      rootDirectory: join(temporary.path, 'root'),
      token: {
        realm: 'http://127.0.0.1:1/jwt/auth',
        service: 'registry.test',
        issuer: 'test-issuer',
        rootcertbundle: bundle,
      },
    });
    try {
      const response = await fetch(`${registry.url}/v2/library/demo/tags/list`);
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.equal(
        'Bearer realm="http://127.0.0.1:1/jwt/auth",service="registry.test",scope="repository:library/demo:pull"',
      );
    } finally {
      await registry.stop();
    }
  });

  it('asks for HTTP Basic auth against a bcrypt htpasswd file when given users', async () => {
    const configsBefore = await distributionConfigDirectories();
    const registry = await startDistribution({
      rootDirectory: join(temporary.path, 'root'),
      htpasswd: { users: { alice: 'right password', bob: 'other' } },
    });
    let configDirectory = '';
    try {
      const basic = (user: string, password: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      });
      const get = async (headers: Record<string, string> = {}) => {
        const response = await fetch(`${registry.url}/v2/`, { headers });
        await response.body?.cancel();
        return response;
      };
      const anonymous = await get();
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('www-authenticate')).to.equal(
        'Basic realm="lading-registry-peers"',
      );
      expect((await get(basic('alice', 'wrong'))).status).to.equal(401);
      expect((await get(basic('alice', 'right password'))).status).to.equal(200);
      expect((await get(basic('bob', 'other'))).status).to.equal(200);

      // The htpasswd file stays while the server runs (it is read on every request); the
      // config does not.
      const added = (await distributionConfigDirectories()).filter(
        (name) => !configsBefore.includes(name),
      );
      expect(added).to.have.length(1);
      configDirectory = join(tmpdir(), added[0] ?? '');
      expect(await readdir(configDirectory)).to.deep.equal(['htpasswd']);
      const lines = (await readFile(join(configDirectory, 'htpasswd'), 'utf8')).split('\n');
      expect(lines[0]).to.match(/^alice:\$2y\$04\$[./A-Za-z0-9]{53}$/);
      expect(lines[1]).to.match(/^bob:\$2y\$04\$/);
    } finally {
      await registry.stop();
    }
    expect(await distributionConfigDirectories()).to.deep.equal(configsBefore);
  });

  for (const ending of ['hang', 'exit'] as const) {
    const how = ending === 'hang' ? 'is killed with SIGKILL' : 'exits without stopping it';
    it(`dies with a test process that ${how}`, async () => {
      const abandoned = await startAbandoned(join(temporary.path, 'root'), ending);
      try {
        if (ending === 'hang') {
          expect(await isListening(abandoned.host)).to.equal(true);
          abandoned.kill();
        }
        await abandoned.exited;
        expect(await eventually(() => processIsGone(abandoned.pid), 5_000), 'gone').to.equal(true);
        expect(await isListening(abandoned.host)).to.equal(false);
      } finally {
        // If it survived, the test has failed already; do not leave it running as well.
        killIfRunning(abandoned.pid);
      }
    });
  }
});

describe('bcryptHtpasswd', function () {
  this.timeout(60_000);

  it('hashes each user with bcrypt, salted, in htpasswd lines', async () => {
    const first = await bcryptHtpasswd({ alice: 'same', bob: 'same' });
    const [alice, bob, end] = first.split('\n');
    expect(alice).to.match(/^alice:\$2y\$04\$/);
    expect(bob).to.match(/^bob:\$2y\$04\$/);
    expect(end).to.equal('');
    expect(alice?.slice('alice:'.length)).to.not.equal(bob?.slice('bob:'.length));
  });

  it('refuses names and passwords an htpasswd line cannot hold', async () => {
    const refused: Record<string, string>[] = [
      {},
      { 'a:b': 'x' },
      { '': 'x' },
      { 'a b': 'x' },
      { a: 'x\ny' },
    ];
    for (const users of refused) {
      try {
        await bcryptHtpasswd(users);
        expect.fail(`must refuse ${JSON.stringify(users)}`);
      } catch (error) {
        expect(String(error)).to.match(/at least one user|user names must|line break/);
      }
    }
  });
});

describe('waiting for a server', () => {
  it('fails at once when the server exits', async () => {
    const child = spawn('sh', ['-c', 'exit 3']);
    await once(child, 'exit');
    try {
      await waitUntilReady('http://127.0.0.1:9/v2/', child, 5_000);
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.include('the server exited (code 3');
    }
  });

  it('gives up after the timeout, saying what it saw last', async () => {
    const child = spawn('sleep', ['10']);
    try {
      await waitUntilReady('http://127.0.0.1:9/v2/', child, 300);
      expect.fail('must throw');
    } catch (error) {
      expect(String(error)).to.match(
        /timed out after 300 ms \(GET http:\/\/127\.0\.0\.1:9\/v2\/ failed/,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('stopping a server', () => {
  it('kills one that ignores SIGTERM', async () => {
    // stdio ignored: the shell's own `sleep` children must not hold pipes open after the kill.
    const child = spawn('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const closed = closedPromise(child);
    await once(child.stdout, 'data');
    const started = performance.now();
    await stopChild(child, closed, 300);
    expect(child.signalCode).to.equal('SIGKILL');
    expect(performance.now() - started).to.be.within(250, 3_000);
  });
});
