import { generateKeyPairSync } from 'node:crypto';
import { MediaType, digestOf, signSchema1 } from '@lading/oci';
import { expect } from 'chai';
import { startLading, type LadingProcess } from './support/lading-process.js';

interface Case {
  readonly code: string;
  readonly status: number;
  readonly request: (lading: LadingProcess) => Promise<Response>;
}

/** Every error code of the spec that applies without token auth, provoked over HTTP on `lading serve`. */
describe('error codes from the running server', function () {
  this.timeout(60_000);
  let lading: LadingProcess;
  let layer: string;
  let location: string;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  before(async () => {
    lading = await startLading({
      config: `version: 0.1
storage:
  filesystem:
    rootdirectory: {dir}/data
http:
  addr: 127.0.0.1:0
compatibility:
  schema1:
    enabled: true
`,
    });
    const content = Buffer.from('a layer');
    layer = digestOf(content);
    await fetch(`${lading.url}/v2/library/app/blobs/uploads/?digest=${layer}`, {
      method: 'POST',
      body: content,
    });
    const started = await fetch(`${lading.url}/v2/library/app/blobs/uploads/`, { method: 'POST' });
    location = started.headers.get('location') ?? '';
  });

  after(() => lading.stop());

  const put = (
    lading: LadingProcess,
    reference: string,
    body: string | Buffer,
    type: string = MediaType.ociManifest,
  ) =>
    fetch(`${lading.url}/v2/library/app/manifests/${reference}`, {
      method: 'PUT',
      headers: { 'content-type': type },
      body,
    });

  const cases: Case[] = [
    {
      code: 'BLOB_UNKNOWN',
      status: 404,
      request: (l) => fetch(`${l.url}/v2/library/app/blobs/${digestOf(Buffer.from('none'))}`),
    },
    {
      code: 'BLOB_UPLOAD_INVALID',
      status: 404,
      request: () =>
        fetch(location.replace(/_state=[^&]+/, '_state=forged'), { method: 'PATCH', body: 'x' }),
    },
    {
      code: 'BLOB_UPLOAD_UNKNOWN',
      status: 404,
      request: (l) => fetch(`${l.url}/v2/library/app/blobs/uploads/unknown-upload`),
    },
    {
      code: 'DIGEST_INVALID',
      status: 400,
      request: (l) => fetch(`${l.url}/v2/library/app/blobs/sha256:short`),
    },
    {
      code: 'MANIFEST_BLOB_UNKNOWN',
      status: 400,
      request: (l) =>
        put(
          l,
          'v1',
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MediaType.ociManifest,
            config: { mediaType: MediaType.ociConfig, digest: digestOf(Buffer.from('c')), size: 1 },
            layers: [],
          }),
        ),
    },
    { code: 'MANIFEST_INVALID', status: 400, request: (l) => put(l, 'v1', '{"schemaVersion": 2}') },
    {
      code: 'MANIFEST_UNKNOWN',
      status: 404,
      request: (l) => fetch(`${l.url}/v2/library/app/manifests/missing`),
    },
    {
      code: 'MANIFEST_UNVERIFIED',
      status: 400,
      request: (l) => {
        const signed = signSchema1(
          {
            schemaVersion: 1,
            name: 'library/app',
            tag: 'old',
            architecture: 'amd64',
            fsLayers: [{ blobSum: layer }],
            history: [{ v1Compatibility: '{}' }],
          },
          privateKey,
        );
        return put(
          l,
          'old',
          Buffer.from(signed.toString().replace('amd64', 'arm64')),
          MediaType.dockerSchema1Signed,
        );
      },
    },
    {
      code: 'NAME_INVALID',
      status: 400,
      request: (l) => fetch(`${l.url}/v2/Library/App/tags/list`),
    },
    {
      code: 'NAME_UNKNOWN',
      status: 404,
      request: (l) => fetch(`${l.url}/v2/never/pushed/tags/list`),
    },
    {
      code: 'PAGINATION_NUMBER_INVALID',
      status: 400,
      request: (l) => fetch(`${l.url}/v2/_catalog?n=-1`),
    },
    {
      code: 'RANGE_INVALID',
      status: 416,
      request: () =>
        fetch(location, { method: 'PATCH', headers: { 'content-range': '5-9' }, body: 'xxxxx' }),
    },
    {
      code: 'SIZE_INVALID',
      status: 400,
      request: () =>
        fetch(location, { method: 'PATCH', headers: { 'content-range': '0-99' }, body: 'xxxxx' }),
    },
    {
      code: 'TAG_INVALID',
      status: 400,
      request: (l) => fetch(`${l.url}/v2/library/app/manifests/-bad-tag`),
    },
    {
      code: 'UNSUPPORTED',
      status: 405,
      request: (l) => fetch(`${l.url}/v2/library/app/blobs/${layer}`, { method: 'DELETE' }),
    },
  ];

  for (const { code, status, request } of cases) {
    it(`${code} (${String(status)})`, async () => {
      const response = await request(lading);
      expect(response.status).to.equal(status);
      const body = (await response.json()) as { errors: { code: string; message: string }[] };
      expect(body.errors[0]?.code).to.equal(code);
      expect(body.errors[0]?.message).to.be.a('string').that.is.not.empty;
    });
  }

  it('UNKNOWN (500) for a storage failure, logged with its cause but told to nobody', async () => {
    const broken = await startLading({
      config:
        'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {dir}/blocker/data\nhttp:\n  addr: 127.0.0.1:0\n',
      files: { blocker: 'a file where the storage directory should be' },
    });
    try {
      const response = await fetch(`${broken.url}/v2/library/app/blobs/uploads/`, {
        method: 'POST',
      });
      expect(response.status).to.equal(500);
      const text = await response.text();
      expect(JSON.parse(text)).to.deep.equal({
        errors: [{ code: 'UNKNOWN', message: 'unknown error', detail: {} }],
      });
      expect(text).to.not.contain('blocker');
      const logged = await broken.waitForLog((entry) => entry.msg === 'request failed');
      expect(JSON.stringify(logged)).to.contain('ENOTDIR');
    } finally {
      await broken.stop();
    }
  });

  it('mounts the API under http.prefix', async () => {
    const prefixed = await startLading({
      config:
        'version: 0.1\nstorage:\n  inmemory: {}\nhttp:\n  addr: 127.0.0.1:0\n  prefix: /registry/\n',
    });
    try {
      expect((await fetch(`${prefixed.url}/registry/v2/`)).status).to.equal(200);
      const upload = await fetch(`${prefixed.url}/registry/v2/a/blobs/uploads/`, {
        method: 'POST',
      });
      expect(upload.headers.get('location')).to.match(
        new RegExp(`^${prefixed.url}/registry/v2/a/blobs/uploads/`),
      );
      expect((await fetch(`${prefixed.url}/v2/`)).status).to.equal(404);
    } finally {
      await prefixed.stop();
    }
  });
});
