import { MediaType, digestOf } from '@lading/oci';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readdir, readlink } from 'node:fs/promises';
import { request } from 'node:http';
import { startLading, type LadingProcess } from './support/lading-process.js';

const config = `version: 0.1
log:
  level: info
  fields:
    environment: test
storage:
  filesystem:
    rootdirectory: {dir}/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:0
  secret: a-shared-secret
  headers:
    X-Content-Type-Options: [nosniff]
  debug:
    addr: 127.0.0.1:0
    prometheus:
      enabled: true
      path: /metrics
health:
  storagedriver:
    enabled: true
    interval: 1s
    threshold: 3
`;

async function pushBlob(lading: LadingProcess, name: string, content: Buffer): Promise<string> {
  const digest = digestOf(content);
  const response = await fetch(`${lading.url}/v2/${name}/blobs/uploads/?digest=${digest}`, {
    method: 'POST',
    body: content,
  });
  expect(response.status).to.equal(201);
  return digest;
}

describe('lading serve', function () {
  this.timeout(60_000);
  let lading: LadingProcess;
  before(async () => {
    lading = await startLading({ config });
  });
  after(async () => {
    await lading.stop();
  });

  it('serves the registry API on the configured address', async () => {
    const response = await fetch(`${lading.url}/v2/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('docker-distribution-api-version')).to.equal('registry/2.0');
    expect(response.headers.get('x-content-type-options'), 'http.headers').to.equal('nosniff');
    const digest = await pushBlob(lading, 'library/app', Buffer.from('hello'));
    expect(await (await fetch(`${lading.url}/v2/library/app/blobs/${digest}`)).text()).to.equal(
      'hello',
    );
  });

  it('logs every request as structured JSON, with a request id it also returns', async () => {
    const response = await fetch(`${lading.url}/v2/library/app/tags/list`, {
      headers: { 'x-request-id': 'req-42' },
    });
    expect(response.headers.get('x-request-id')).to.equal('req-42');
    const entry = await lading.waitForLog(
      (log) => log.msg === 'request' && log.requestId === 'req-42',
    );
    expect(entry).to.include({
      method: 'GET',
      route: 'tags',
      status: 404,
      level: 'info',
      environment: 'test',
      service: 'lading',
    });
    expect(entry.time).to.be.a('string');
    const generated = (await fetch(`${lading.url}/v2/`)).headers.get('x-request-id');
    expect(generated).to.match(/^[0-9a-f-]{36}$/);
  });

  it('keeps query strings (upload state) out of the access log', async () => {
    const started = await fetch(`${lading.url}/v2/library/app/blobs/uploads/`, { method: 'POST' });
    const location = new URL(started.headers.get('location') ?? '');
    expect(location.search).to.contain('_state');
    await fetch(location, { headers: { 'x-request-id': 'upload-status' } });
    const logged = await lading.waitForLog((log) => log.requestId === 'upload-status');
    expect(logged.path).to.equal(location.pathname);
    expect(JSON.stringify(lading.logs)).to.not.contain('_state');
  });

  it('serves health and Prometheus metrics on the debug address', async () => {
    const health = await fetch(`${lading.debugUrl ?? ''}/debug/health`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({});
    expect((await fetch(`${lading.url}/debug/health`)).status).to.equal(200);
    await pushBlob(lading, 'library/metrics', Buffer.alloc(1000, 1));
    const metrics = await (await fetch(`${lading.debugUrl ?? ''}/metrics`)).text();
    expect(metrics).to.match(
      /lading_http_requests_total\{route="uploads",method="POST",status="201"\} \d+/,
    );
    expect(metrics).to.match(
      /lading_http_request_duration_seconds_bucket\{le="[^"]+",route="blob",method="GET"\}/,
    );
    expect(metrics).to.match(/lading_http_request_bytes_total\{route="uploads"\} \d+/);
    expect(metrics).to.contain('lading_uploads_in_flight 0');
    expect(metrics).to.match(
      /lading_storage_action_seconds_count\{driver="filesystem",method="putContent",outcome="ok"\} \d+/,
    );
    expect(
      (await fetch(`${lading.url}/metrics`)).status,
      'metrics stay off the public port',
    ).to.equal(404);
  });

  it('serves a 40 MiB blob whole and in ranges, byte for byte, from reused read buffers', async () => {
    const content = randomBytes(40 * 1024 * 1024);
    const digest = await pushBlob(lading, 'library/big', content);
    for (let round = 0; round < 2; round += 1) {
      const whole = await fetch(`${lading.url}/v2/library/big/blobs/${digest}`);
      expect(whole.status).to.equal(200);
      expect(digestOf(Buffer.from(await whole.arrayBuffer()))).to.equal(digest);
    }
    const start = 3 * 1024 * 1024 + 5;
    const end = 37 * 1024 * 1024;
    const part = await fetch(`${lading.url}/v2/library/big/blobs/${digest}`, {
      headers: { range: `bytes=${start}-${end}` },
    });
    expect(part.status).to.equal(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(content.subarray(start, end + 1))).to.equal(
      true,
    );
  });

  it('closes the blob file when a client leaves in the middle of a download', async () => {
    const digest = await pushBlob(lading, 'library/left', randomBytes(32 * 1024 * 1024));
    const openBlobFiles = async () => {
      const links = await Promise.all(
        (await readdir(`/proc/${lading.child.pid}/fd`)).map((fd) =>
          readlink(`/proc/${lading.child.pid}/fd/${fd}`).catch(() => ''),
        ),
      );
      return links.filter((target) => target.includes(digest.slice(7))).length;
    };
    // A client that reads a little and stops reading (the server's writes back up)...
    const get = request(`${lading.url}/v2/library/left/blobs/${digest}`);
    await new Promise<void>((resolve, reject) => {
      get.once('response', (response) => {
        response.once('data', () => {
          response.pause();
          resolve();
        });
      });
      get.once('error', reject);
      get.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await openBlobFiles(), 'open while the download waits').to.equal(1);
    // ...then leaves.
    get.destroy();
    for (let waited = 0; (await openBlobFiles()) > 0 && waited < 5000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await openBlobFiles()).to.equal(0);
    const again = await fetch(`${lading.url}/v2/library/left/blobs/${digest}`);
    expect(digestOf(Buffer.from(await again.arrayBuffer()))).to.equal(digest);
  });

  it('answers other paths with 404', async () => {
    expect((await fetch(`${lading.url}/elsewhere`)).status).to.equal(404);
  });

  it("stores what it is given in distribution's layout under rootdirectory", async () => {
    const config = Buffer.from('{}');
    const configDigest = await pushBlob(lading, 'library/layout', config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: configDigest, size: 2 },
        layers: [],
      }),
    );
    const put = await fetch(`${lading.url}/v2/library/layout/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: manifest,
    });
    expect(put.status).to.equal(201);
    const { readFile } = await import('node:fs/promises');
    const link = await readFile(
      `${lading.directory}/data/docker/registry/v2/repositories/library/layout/_manifests/tags/v1/current/link`,
      'utf8',
    );
    expect(link).to.equal(digestOf(manifest));
  });
});
