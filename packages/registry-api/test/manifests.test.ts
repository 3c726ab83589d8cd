import { generateKeyPairSync } from 'node:crypto';
import { MediaType, digestOf, signSchema1 } from '@lading/oci';
import { expect } from 'chai';
import {
  errorCode,
  pushBlob,
  pushImage,
  pushManifestList,
  startRegistry,
  type TestRegistry,
} from './support.js';

const ociAccept = `${MediaType.ociManifest}, ${MediaType.ociIndex}, ${MediaType.dockerManifest}, ${MediaType.dockerManifestList}`;

describe('manifest endpoints', () => {
  let registry: TestRegistry;
  beforeEach(async () => {
    registry = await startRegistry({ engine: { deleteEnabled: true, schema1Enabled: true } });
  });
  afterEach(() => registry.close());

  it('PUT answers 201 with the by-digest Location and the digest', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    const again = await fetch(`${registry.url}/v2/library/app/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: image.manifest,
    });
    expect(again.status).to.equal(201);
    expect(again.headers.get('location')).to.equal(
      `${registry.url}/v2/library/app/manifests/${image.digest}`,
    );
    expect(again.headers.get('docker-content-digest')).to.equal(image.digest);
  });

  it('GET and HEAD by tag and digest return the bytes with type, digest and length', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    for (const reference of ['v1', image.digest]) {
      const response = await fetch(`${registry.url}/v2/library/app/manifests/${reference}`, {
        headers: { accept: ociAccept },
      });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal(MediaType.ociManifest);
      expect(response.headers.get('docker-content-digest')).to.equal(image.digest);
      expect(Buffer.from(await response.arrayBuffer()).equals(image.manifest)).to.equal(true);
      const head = await fetch(`${registry.url}/v2/library/app/manifests/${reference}`, {
        method: 'HEAD',
        headers: { accept: ociAccept },
      });
      expect(head.status).to.equal(200);
      expect(head.headers.get('content-length')).to.equal(String(image.manifest.length));
      expect(await head.text()).to.equal('');
    }
    const notModified = await fetch(`${registry.url}/v2/library/app/manifests/v1`, {
      headers: { 'if-none-match': `"${image.digest}"` },
    });
    expect(notModified.status).to.equal(304);
  });

  it('negotiates: an OCI manifest is not served to a client that names only Docker types', async () => {
    await pushImage(registry.url, 'library/app', 'v1');
    const docker = await fetch(`${registry.url}/v2/library/app/manifests/v1`, {
      headers: { accept: MediaType.dockerManifest },
    });
    expect(docker.status).to.equal(404);
    expect(await errorCode(docker)).to.equal('MANIFEST_UNKNOWN');
    expect(
      (await fetch(`${registry.url}/v2/library/app/manifests/v1`)).status,
      'no Accept: what is stored',
    ).to.equal(200);
    expect(
      (await fetch(`${registry.url}/v2/library/app/manifests/v1`, { headers: { accept: '*/*' } }))
        .status,
    ).to.equal(200);
  });

  it('serves the linux/amd64 image of a manifest list to a client that cannot read lists', async () => {
    const amd = await pushImage(registry.url, 'library/app', 'amd');
    const list = await pushManifestList(registry.url, 'library/app', 'multi', amd, 'amd64');
    const old = await fetch(`${registry.url}/v2/library/app/manifests/multi`, {
      headers: { accept: `${MediaType.dockerManifest}, ${MediaType.ociManifest}` },
    });
    expect(old.headers.get('docker-content-digest')).to.equal(amd.digest);
    const current = await fetch(`${registry.url}/v2/library/app/manifests/multi`, {
      headers: { accept: ociAccept },
    });
    expect(current.headers.get('docker-content-digest')).to.equal(list);
  });

  it('answers missing references 400 MANIFEST_BLOB_UNKNOWN naming them, bad ones 400 MANIFEST_INVALID', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    const missing = await fetch(`${registry.url}/v2/library/other/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: image.manifest,
    });
    expect(missing.status).to.equal(400);
    const body = (await missing.json()) as {
      errors: { code: string; detail: { digests: string[] } }[];
    };
    expect(body.errors[0]?.code).to.equal('MANIFEST_BLOB_UNKNOWN');
    expect(body.errors[0]?.detail.digests).to.have.members([image.config, image.layer]);
    const invalid = await fetch(`${registry.url}/v2/library/app/manifests/v2`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: '{"schemaVersion":2}',
    });
    expect(invalid.status).to.equal(400);
    const invalidBody = (await invalid.json()) as {
      errors: { code: string; detail: { field: string } }[];
    };
    expect(invalidBody.errors[0]?.code).to.equal('MANIFEST_INVALID');
    expect(invalidBody.errors[0]?.detail.field).to.equal('layers');
    const unknownType = await fetch(`${registry.url}/v2/library/app/manifests/v2`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: image.manifest,
    });
    expect(await errorCode(unknownType)).to.equal('MANIFEST_INVALID');
  });

  it('refuses a manifest over 4 MiB with 413, reading no further', async () => {
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 32);
    const response = await fetch(`${registry.url}/v2/library/app/manifests/big`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: huge,
    });
    expect(response.status).to.equal(413);
    expect(await errorCode(response)).to.equal('MANIFEST_INVALID');
  });

  it('checks a digest reference against the bytes: 400 DIGEST_INVALID', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    const wrong = digestOf(Buffer.from('other'));
    const response = await fetch(`${registry.url}/v2/library/app/manifests/${wrong}`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: image.manifest,
    });
    expect(response.status).to.equal(400);
    expect(await errorCode(response)).to.equal('DIGEST_INVALID');
  });

  it('answers unknown manifests 404 MANIFEST_UNKNOWN and bad tags 400 TAG_INVALID', async () => {
    const unknown = await fetch(`${registry.url}/v2/library/app/manifests/nope`);
    expect(unknown.status).to.equal(404);
    expect(await errorCode(unknown)).to.equal('MANIFEST_UNKNOWN');
    const bad = await fetch(`${registry.url}/v2/library/app/manifests/.bad`);
    expect(bad.status).to.equal(400);
    expect(await errorCode(bad)).to.equal('TAG_INVALID');
  });

  it('sends OCI-Subject for a manifest with a subject', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    const empty = await pushBlob(registry.url, 'library/app', Buffer.from('{}'));
    const artifact = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: 'application/vnd.example.sig',
        config: { mediaType: MediaType.ociEmpty, digest: empty, size: 2 },
        layers: [],
        subject: {
          mediaType: MediaType.ociManifest,
          digest: image.digest,
          size: image.manifest.length,
        },
      }),
    );
    const response = await fetch(`${registry.url}/v2/library/app/manifests/${digestOf(artifact)}`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.ociManifest },
      body: artifact,
    });
    expect(response.status).to.equal(201);
    expect(response.headers.get('oci-subject')).to.equal(image.digest);
  });

  it('deletes by digest (and its tags) and by tag with 202', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    await pushImage(registry.url, 'library/app', 'v2');
    expect(
      (await fetch(`${registry.url}/v2/library/app/manifests/v2`, { method: 'DELETE' })).status,
    ).to.equal(202);
    expect((await fetch(`${registry.url}/v2/library/app/manifests/v2`)).status).to.equal(404);
    expect(
      (
        await fetch(`${registry.url}/v2/library/app/manifests/${image.digest}`, {
          method: 'DELETE',
        })
      ).status,
    ).to.equal(202);
    expect((await fetch(`${registry.url}/v2/library/app/manifests/v1`)).status).to.equal(404);
  });

  it('answers a tampered schema 1 manifest 400 MANIFEST_UNVERIFIED', async () => {
    const layer = await pushBlob(registry.url, 'library/old', Buffer.from('legacy'));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signed = signSchema1(
      {
        schemaVersion: 1,
        name: 'library/old',
        tag: 'v1',
        architecture: 'amd64',
        fsLayers: [{ blobSum: layer }],
        history: [{ v1Compatibility: '{}' }],
      },
      privateKey,
    );
    const tampered = Buffer.from(signed.toString().replace('amd64', 'arm64'));
    const response = await fetch(`${registry.url}/v2/library/old/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.dockerSchema1Signed },
      body: tampered,
    });
    expect(response.status).to.equal(400);
    expect(await errorCode(response)).to.equal('MANIFEST_UNVERIFIED');
    const good = await fetch(`${registry.url}/v2/library/old/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': MediaType.dockerSchema1Signed },
      body: signed,
    });
    expect(good.status).to.equal(201);
  });
});
