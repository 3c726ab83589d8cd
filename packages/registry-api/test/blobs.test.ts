import { digestOf } from '@lading/oci';
import { expect } from 'chai';
import { errorCode, pushBlob, startRegistry, type TestRegistry } from './support.js';

const content = Buffer.from('0123456789abcdefghij');
const digest = digestOf(content);

describe('blob endpoints', () => {
  let registry: TestRegistry;
  beforeEach(async () => {
    registry = await startRegistry();
    await pushBlob(registry.url, 'library/app', content);
  });
  afterEach(() => registry.close());

  it('GET /v2/ answers 200 {} with the API version header', async () => {
    const response = await fetch(`${registry.url}/v2/`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('docker-distribution-api-version')).to.equal('registry/2.0');
    expect(await response.json()).to.deep.equal({});
    expect((await fetch(`${registry.url}/v2`, { method: 'HEAD' })).status).to.equal(200);
  });

  it('HEAD gives size, digest and type without a body', async () => {
    const response = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`, {
      method: 'HEAD',
    });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-length')).to.equal(String(content.length));
    expect(response.headers.get('docker-content-digest')).to.equal(digest);
    expect(response.headers.get('etag')).to.equal(`"${digest}"`);
    expect(response.headers.get('accept-ranges')).to.equal('bytes');
    expect(await response.text()).to.equal('');
  });

  it('GET streams the blob, or the range asked for with 206', async () => {
    const whole = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`);
    expect(whole.status).to.equal(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(content)).to.equal(true);
    for (const [range, body, contentRange] of [
      ['bytes=2-5', '2345', 'bytes 2-5/20'],
      ['bytes=15-', 'fghij', 'bytes 15-19/20'],
      ['bytes=-3', 'hij', 'bytes 17-19/20'],
      ['bytes=18-100', 'ij', 'bytes 18-19/20'],
    ] as const) {
      const response = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`, {
        headers: { range },
      });
      expect(response.status, range).to.equal(206);
      expect(response.headers.get('content-range')).to.equal(contentRange);
      expect(await response.text()).to.equal(body);
    }
    const ignored = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`, {
      headers: { range: 'bytes=0-1,4-5' },
    });
    expect(ignored.status, 'several ranges: the whole blob').to.equal(200);
  });

  it('answers a range past the end with 416 and the size', async () => {
    const response = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`, {
      headers: { range: 'bytes=20-' },
    });
    expect(response.status).to.equal(416);
    expect(response.headers.get('content-range')).to.equal('bytes */20');
    expect(await errorCode(response)).to.equal('RANGE_INVALID');
  });

  it('answers unknown blobs 404 BLOB_UNKNOWN, bad digests 400 DIGEST_INVALID, bad names 400 NAME_INVALID', async () => {
    const other = digestOf(Buffer.from('other'));
    const unknown = await fetch(`${registry.url}/v2/library/app/blobs/${other}`);
    expect(unknown.status).to.equal(404);
    const body = (await unknown.json()) as {
      errors: { code: string; message: string; detail: unknown }[];
    };
    expect(body.errors[0]?.code).to.equal('BLOB_UNKNOWN');
    expect(body.errors[0]?.message).to.contain(other);
    expect(
      (await fetch(`${registry.url}/v2/library/other/blobs/${digest}`)).status,
      'per repository',
    ).to.equal(404);
    const bad = await fetch(`${registry.url}/v2/library/app/blobs/sha256:abc`);
    expect(bad.status).to.equal(400);
    expect(await errorCode(bad)).to.equal('DIGEST_INVALID');
    const name = await fetch(`${registry.url}/v2/Library/App/blobs/${digest}`);
    expect(name.status).to.equal(400);
    expect(await errorCode(name)).to.equal('NAME_INVALID');
    const head = await fetch(`${registry.url}/v2/library/app/blobs/${other}`, { method: 'HEAD' });
    expect(head.status).to.equal(404);
    expect(await head.text(), 'no body on HEAD').to.equal('');
  });

  it('DELETE unlinks with 202, then the blob is unknown', async () => {
    const response = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`, {
      method: 'DELETE',
    });
    expect(response.status).to.equal(202);
    expect((await fetch(`${registry.url}/v2/library/app/blobs/${digest}`)).status).to.equal(404);
    const again = await fetch(`${registry.url}/v2/library/app/blobs/${digest}`, {
      method: 'DELETE',
    });
    expect(await errorCode(again)).to.equal('BLOB_UNKNOWN');
  });

  it('refuses DELETE with 405 UNSUPPORTED when deletes are off, and unknown methods too', async () => {
    const strict = await startRegistry({ engine: { deleteEnabled: false } });
    try {
      await pushBlob(strict.url, 'library/app', content);
      const response = await fetch(`${strict.url}/v2/library/app/blobs/${digest}`, {
        method: 'DELETE',
      });
      expect(response.status).to.equal(405);
      expect(await errorCode(response)).to.equal('UNSUPPORTED');
      const post = await fetch(`${strict.url}/v2/library/app/blobs/${digest}`, { method: 'POST' });
      expect(post.status).to.equal(405);
    } finally {
      await strict.close();
    }
  });
});
