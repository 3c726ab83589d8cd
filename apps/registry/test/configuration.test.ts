import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages } from '@lading/registry-peers';
import { expect } from 'chai';
import { runLading, startLading } from './support/lading-process.js';
import { withPki } from './support/pki.js';

/** A CA, a server certificate for 127.0.0.1 and a client certificate. */
function certificates(): Record<string, Buffer> {
  return withPki((pki) => {
    pki
      .selfSigned('ca', '/CN=Test CA')
      .signed('server', '/CN=server', 'ca', { extensions: ['subjectAltName=IP:127.0.0.1'] })
      .signed('client', '/CN=client', 'ca', { extensions: ['extendedKeyUsage=clientAuth'] });
    return Object.fromEntries(
      ['ca.pem', 'server.pem', 'server.key', 'client.pem', 'client.key'].map((name) => [
        name,
        pki.read(name),
      ]),
    );
  });
}

function get(url: string, options: Record<string, unknown>): Promise<number | string> {
  return new Promise((resolve) => {
    const request = (url.startsWith('https') ? httpsRequest : httpRequest)(
      url,
      options,
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', (error) => {
      resolve(error.message);
    });
    request.end();
  });
}

describe('configurations of the server', function () {
  this.timeout(90_000);

  it('requires client certificates signed by http.tls.clientcas', async () => {
    await ensureDebianPackages({ openssl: 'openssl' });
    const files = certificates();
    const lading = await startLading({
      config: `version: 0.1
storage:
  inmemory: {}
http:
  addr: 127.0.0.1:0
  tls:
    certificate: {dir}/server.pem
    key: {dir}/server.key
    clientcas: [{dir}/ca.pem]
`,
      files,
    });
    try {
      const ca = files['ca.pem'];
      expect(
        await get(`${lading.url}/v2/`, { ca, cert: files['client.pem'], key: files['client.key'] }),
      ).to.equal(200);
      expect(await get(`${lading.url}/v2/`, { ca }), 'no client certificate').to.be.a('string');
    } finally {
      await lading.stop();
    }
  });

  it('refuses http.tls.letsencrypt, saying what to do instead', async () => {
    const outcome = await startLading({
      config:
        'version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n  addr: 127.0.0.1:0\n  tls:\n    letsencrypt:\n      cachefile: /tmp/le\n      email: a@example.com\n      hosts: [registry.example.com]\n',
    }).then(
      async (lading) => {
        await lading.stop();
        return 'started';
      },
      (error: unknown) => String(error),
    );
    expect(outcome).to.contain('http.tls.letsencrypt').and.contain('certificate and key');
  });

  it('listens on a unix socket with net: unix', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'lading-unix-'));
    const socketPath = join(directory, 'registry.sock');
    const lading = await startLading({
      config: `version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n  net: unix\n  addr: ${socketPath}\n`,
    });
    try {
      expect(lading.url).to.equal(`unix:${socketPath}`);
      expect(await get('http://localhost/v2/', { socketPath })).to.equal(200);
    } finally {
      await lading.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('warns at start-up about settings it cannot honour yet', async () => {
    const lading = await startLading({
      config: `version: 0.1
storage:
  inmemory: {}
  cache:
    blobdescriptor: redis
http:
  addr: 127.0.0.1:0
redis:
  addr: 127.0.0.1:6379
`,
    });
    try {
      const warnings = lading.logs
        .filter((entry) => entry.level === 'warn')
        .map((entry) => String(entry.msg));
      expect(
        warnings.some((message) =>
          message.startsWith('storage.cache.blobdescriptor: redis is not supported'),
        ),
      ).to.equal(true);
      expect(warnings.some((message) => message.startsWith('http.secret is not set'))).to.equal(
        true,
      );
    } finally {
      await lading.stop();
    }
  });

  it('asks for a file when config check has none', async () => {
    const result = await runLading(['config', 'check'], { REGISTRY_CONFIGURATION_PATH: '' });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('REGISTRY_CONFIGURATION_PATH');
  });
});
