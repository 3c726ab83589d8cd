import { expect } from 'chai';
import {
  MediaType,
  annotationsOf,
  artifactTypeOf,
  manifestReferences,
  parseManifest,
} from '../src/index.js';
import { bytes, digestA, digestB, digestC, ociIndex, ociManifest } from './fixtures.js';

describe('manifest references', () => {
  it('of an image: the config and layers, a layer that is a manifest, and the subject', () => {
    const parsed = parseManifest(
      bytes(
        ociManifest({
          layers: [
            {
              mediaType: MediaType.ociLayerGzip,
              digest: digestB,
              size: 1,
              urls: ['https://example.com/l'],
            },
            { mediaType: MediaType.ociManifest, digest: digestC, size: 1 },
          ],
          subject: { mediaType: MediaType.ociManifest, digest: digestC, size: 9 },
        }),
      ),
    );
    const references = manifestReferences(parsed);
    expect(references.blobs.map((blob) => blob.digest)).to.deep.equal([digestA, digestB]);
    expect(references.blobs[1]?.urls).to.deep.equal(['https://example.com/l']);
    expect(references.manifests.map((manifest) => manifest.digest)).to.deep.equal([digestC]);
    expect(references.subject?.digest).to.equal(digestC);
  });

  it('of an index: its manifests', () => {
    const references = manifestReferences(parseManifest(bytes(ociIndex())));
    expect(references.blobs).to.deep.equal([]);
    expect(references.manifests.map((manifest) => manifest.digest)).to.deep.equal([digestA]);
    expect(references.subject).to.equal(undefined);
  });

  it('give the artifact type a referrers listing reports, and annotations', () => {
    const image = parseManifest(bytes(ociManifest({ annotations: { a: 'b' } })));
    expect(artifactTypeOf(image)).to.equal(MediaType.ociConfig);
    expect(annotationsOf(image)).to.deep.equal({ a: 'b' });
    const artifact = parseManifest(bytes(ociManifest({ artifactType: 'application/vnd.x+json' })));
    expect(artifactTypeOf(artifact)).to.equal('application/vnd.x+json');
    expect(artifactTypeOf(parseManifest(bytes(ociIndex())))).to.equal(undefined);
    expect(
      artifactTypeOf(parseManifest(bytes(ociIndex({ artifactType: 'application/vnd.y' })))),
    ).to.equal('application/vnd.y');
  });
});
