import { MediaType, digestOf } from '@lading/oci';
import { expect } from 'chai';
import { errorCode, pushBlob, pushImage, startRegistry, type TestRegistry } from './support.js';

describe('listing endpoints', () => {
  let registry: TestRegistry;
  beforeEach(async () => {
    registry = await startRegistry({ catalogMaxEntries: 3, maxTags: 4 });
  });
  afterEach(() => registry.close());

  it('tags/list pages with n and last, linking the next page', async () => {
    const image = await pushImage(registry.url, 'library/app', 'a');
    for (const tag of ['b', 'c', 'd']) {
      await fetch(`${registry.url}/v2/library/app/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'content-type': MediaType.ociManifest },
        body: image.manifest,
      });
    }
    const all = await fetch(`${registry.url}/v2/library/app/tags/list`);
    expect(await all.json()).to.deep.equal({ name: 'library/app', tags: ['a', 'b', 'c', 'd'] });
    expect(all.headers.get('link')).to.equal(null);
    const page = await fetch(`${registry.url}/v2/library/app/tags/list?n=2`);
    expect(await page.json()).to.deep.equal({ name: 'library/app', tags: ['a', 'b'] });
    expect(page.headers.get('link')).to.equal(
      `<${registry.url}/v2/library/app/tags/list?n=2&last=b>; rel="next"`,
    );
    const next = await fetch(`${registry.url}/v2/library/app/tags/list?n=2&last=b`);
    expect(await next.json()).to.deep.equal({ name: 'library/app', tags: ['c', 'd'] });
    expect(next.headers.get('link')).to.equal(null);
    const zero = await fetch(`${registry.url}/v2/library/app/tags/list?n=0`);
    expect(await zero.json()).to.deep.equal({ name: 'library/app', tags: [] });
    expect(zero.headers.get('link')).to.equal(null);
    const clamped = await fetch(`${registry.url}/v2/library/app/tags/list?n=99`);
    expect(((await clamped.json()) as { tags: string[] }).tags).to.have.length(4);
  });

  it('tags/list answers 404 NAME_UNKNOWN and 400 PAGINATION_NUMBER_INVALID', async () => {
    const unknown = await fetch(`${registry.url}/v2/nobody/here/tags/list`);
    expect(unknown.status).to.equal(404);
    expect(await errorCode(unknown)).to.equal('NAME_UNKNOWN');
    await pushImage(registry.url, 'library/app', 'a');
    for (const n of ['-1', 'ten', '1.5']) {
      const bad = await fetch(`${registry.url}/v2/library/app/tags/list?n=${n}`);
      expect(bad.status, n).to.equal(400);
      expect(await errorCode(bad)).to.equal('PAGINATION_NUMBER_INVALID');
    }
  });

  it('_catalog pages at most catalog.maxentries at a time, linking the next page', async () => {
    for (const name of ['a/one', 'a/two', 'b', 'c/d/e']) await pushImage(registry.url, name, 'v1');
    const first = await fetch(`${registry.url}/v2/_catalog`);
    expect(await first.json()).to.deep.equal({ repositories: ['a/one', 'a/two', 'b'] });
    expect(first.headers.get('link')).to.equal(
      `<${registry.url}/v2/_catalog?n=3&last=b>; rel="next"`,
    );
    const rest = await fetch(`${registry.url}/v2/_catalog?n=3&last=b`);
    expect(await rest.json()).to.deep.equal({ repositories: ['c/d/e'] });
    const small = await fetch(`${registry.url}/v2/_catalog?n=1&last=a/one`);
    expect(await small.json()).to.deep.equal({ repositories: ['a/two'] });
    expect(await errorCode(await fetch(`${registry.url}/v2/_catalog?n=x`))).to.equal(
      'PAGINATION_NUMBER_INVALID',
    );
  });

  it('referrers returns an OCI index, filtered by artifactType with OCI-Filters-Applied', async () => {
    const image = await pushImage(registry.url, 'library/app', 'v1');
    const empty = await pushBlob(registry.url, 'library/app', Buffer.from('{}'));
    for (const artifactType of ['application/vnd.example.sig', 'application/vnd.example.sbom']) {
      const artifact = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MediaType.ociManifest,
          artifactType,
          config: { mediaType: MediaType.ociEmpty, digest: empty, size: 2 },
          layers: [],
          subject: {
            mediaType: MediaType.ociManifest,
            digest: image.digest,
            size: image.manifest.length,
          },
        }),
      );
      await fetch(`${registry.url}/v2/library/app/manifests/${digestOf(artifact)}`, {
        method: 'PUT',
        headers: { 'content-type': MediaType.ociManifest },
        body: artifact,
      });
    }
    const all = await fetch(`${registry.url}/v2/library/app/referrers/${image.digest}`);
    expect(all.status).to.equal(200);
    expect(all.headers.get('content-type')).to.contain(MediaType.ociIndex);
    expect(all.headers.get('oci-filters-applied')).to.equal(null);
    expect(((await all.json()) as { manifests: unknown[] }).manifests).to.have.length(2);
    const filtered = await fetch(
      `${registry.url}/v2/library/app/referrers/${image.digest}?artifactType=application/vnd.example.sbom`,
    );
    expect(filtered.headers.get('oci-filters-applied')).to.equal('artifactType');
    const index = (await filtered.json()) as { manifests: { artifactType: string }[] };
    expect(index.manifests.map((manifest) => manifest.artifactType)).to.deep.equal([
      'application/vnd.example.sbom',
    ]);
    const none = await fetch(
      `${registry.url}/v2/library/app/referrers/${digestOf(Buffer.from('x'))}`,
    );
    expect(((await none.json()) as { manifests: unknown[] }).manifests).to.deep.equal([]);
    expect((await fetch(`${registry.url}/v2/library/app/referrers/sha256:nope`)).status).to.equal(
      400,
    );
  });
});
