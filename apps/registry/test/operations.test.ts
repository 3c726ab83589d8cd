import { request as httpsRequest } from 'node:https';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ensureDebianPackages } from '@lading/registry-peers';
import { expect } from 'chai';
import { startLading } from './support/lading-process.js';
import { withPki } from './support/pki.js';

describe('operating the server', function () {
  this.timeout(90_000);

  it('serves TLS from http.tls with the configured certificate', async () => {
    await ensureDebianPackages({ openssl: 'openssl' });
    const lading = await startLading({
      config: `version: 0.1
storage:
  inmemory: {}
http:
  addr: 127.0.0.1:0
  tls:
    certificate: {dir}/cert.pem
    key: {dir}/key.pem
`,
      files: selfSigned(),
    });
    try {
      expect(lading.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(join(lading.directory, 'cert.pem'));
      const status = await new Promise<number | undefined>((resolve, reject) => {
        httpsRequest(`${lading.url}/v2/`, { ca }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end();
      });
      expect(status).to.equal(200);
      const untrusted = await fetch(`${lading.url}/v2/`).then(
        () => 'trusted',
        () => 'refused',
      );
      expect(untrusted, 'a self-signed certificate is not trusted by default').to.equal('refused');
    } finally {
      await lading.stop();
    }
  });

  it('finishes requests in flight on SIGTERM, then exits 0', async () => {
    const lading = await startLading({
      config:
        'version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n  addr: 127.0.0.1:0\n  draintimeout: 10s\n',
    });
    const started = await fetch(`${lading.url}/v2/slow/blobs/uploads/`, { method: 'POST' });
    const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(1000, 3)];
    const slowBody = Readable.from(
      (async function* () {
        for (const chunk of chunks) {
          yield chunk;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      })(),
    );
    const upload = fetch(started.headers.get('location') ?? '', {
      method: 'PATCH',
      body: Readable.toWeb(slowBody) as ReadableStream,
      duplex: 'half',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const exit = lading.stop('SIGTERM');
    const response = await upload;
    expect(response.status, 'the request in flight completes').to.equal(202);
    expect(response.headers.get('range')).to.equal('0-2999');
    expect(await exit).to.equal(0);
    expect(lading.logs.map((entry) => entry.msg)).to.include.members(['shutting down', 'stopped']);
  });

  it('cuts requests still running when draintimeout passes', async () => {
    const lading = await startLading({
      config:
        'version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n  addr: 127.0.0.1:0\n  draintimeout: 300ms\n',
    });
    const started = await fetch(`${lading.url}/v2/stuck/blobs/uploads/`, { method: 'POST' });
    const endless = new Readable({
      read() {
        setTimeout(() => this.push(Buffer.alloc(10)), 100);
      },
    });
    const upload = fetch(started.headers.get('location') ?? '', {
      method: 'PATCH',
      body: Readable.toWeb(endless) as ReadableStream,
      duplex: 'half',
    }).then(
      () => 'answered',
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const began = Date.now();
    expect(await lading.stop('SIGTERM')).to.equal(0);
    expect(Date.now() - began).to.be.below(5000);
    expect(await upload).to.equal('cut off');
    endless.destroy();
    expect(
      lading.logs.some(
        (entry) => entry.msg === 'draintimeout passed; closing the connections still open',
      ),
    ).to.equal(true);
  });

  it('answers writes in read-only mode with 405 UNSUPPORTED', async () => {
    const lading = await startLading({
      config:
        'version: 0.1\nstorage:\n  inmemory: {}\n  maintenance:\n    readonly:\n      enabled: true\nhttp:\n  addr: 127.0.0.1:0\n',
    });
    try {
      const response = await fetch(`${lading.url}/v2/library/app/blobs/uploads/`, {
        method: 'POST',
      });
      expect(response.status).to.equal(405);
      expect(((await response.json()) as { errors: { code: string }[] }).errors[0]?.code).to.equal(
        'UNSUPPORTED',
      );
      expect((await fetch(`${lading.url}/v2/_catalog`)).status).to.equal(200);
    } finally {
      await lading.stop();
    }
  });

  it('purges uploads older than maintenance.uploadpurging.age', async () => {
    const lading = await startLading({
      config: `version: 0.1
storage:
  filesystem:
    rootdirectory: {dir}/data
  maintenance:
    uploadpurging:
      enabled: true
      age: 1s
      interval: 1s
      dryrun: false
http:
  addr: 127.0.0.1:0
`,
    });
    try {
      const started = await fetch(`${lading.url}/v2/library/app/blobs/uploads/`, {
        method: 'POST',
      });
      const location = started.headers.get('location') ?? '';
      expect((await fetch(location)).status).to.equal(204);
      const deadline = Date.now() + 8000;
      let status = 204;
      while (status === 204 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = (await fetch(location)).status;
      }
      expect(status).to.equal(404);
      // The run logs its count after the deletion the 404 shows, so the line may lag a little.
      const done = await lading.waitForLog(
        (entry) => entry.msg === 'upload purging done' && Number(entry.purged) >= 1,
      );
      expect(done.dryRun).to.equal(false);
    } finally {
      await lading.stop();
    }
  });

  it('runs the embedded default: loopback, ./data, token auth, a kept secret, and says how to push', async () => {
    const lading = await startLading({ env: { REGISTRY_HTTP_ADDR: '127.0.0.1:0' } });
    try {
      await lading.waitForStderr('Push a first image');
      expect(lading.stderr())
        .to.contain(`Lading is listening on ${lading.url}, storing under ./data.`)
        .and.contain('skopeo copy');
      // The embedded default is secured: the token service answers, on the port it listens on.
      const response = await fetch(`${lading.url}/v2/`);
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.equal(
        `Bearer realm="${lading.url}/jwt/auth",service="lading-registry"`,
      );
      expect(existsSync(join(lading.directory, 'data/token.key'))).to.equal(true);
      expect(
        (await readFile(join(lading.directory, 'data/.lading-http-secret'), 'utf8')).trim(),
      ).to.match(/^[0-9a-f]{64}$/);
    } finally {
      await lading.stop();
    }
  });
});

/** A self-signed certificate for 127.0.0.1. */
function selfSigned(): Record<string, Buffer> {
  return withPki((pki) => {
    pki.selfSigned('server', '/CN=127.0.0.1', { extensions: ['subjectAltName=IP:127.0.0.1'] });
    return { 'cert.pem': pki.read('server.pem'), 'key.pem': pki.read('server.key') };
  });
}
