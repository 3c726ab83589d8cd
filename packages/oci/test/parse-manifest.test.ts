import { expect } from 'chai';
import {
  ManifestInvalidError,
  MediaType,
  detectManifestMediaType,
  parseManifest,
} from '../src/index.js';
import {
  bytes,
  digestA,
  digestB,
  digestC,
  dockerManifest,
  ociIndex,
  ociManifest,
} from './fixtures.js';

function invalid(content: Buffer, contentType?: string): ManifestInvalidError {
  try {
    parseManifest(content, contentType);
  } catch (error) {
    expect(error).to.be.instanceOf(ManifestInvalidError);
    return error as ManifestInvalidError;
  }
  throw new Error('parseManifest should throw');
}

describe('parseManifest', () => {
  it('parses an OCI image manifest', () => {
    const parsed = parseManifest(bytes(ociManifest()), MediaType.ociManifest);
    expect(parsed.kind).to.equal('image');
    expect(parsed.mediaType).to.equal(MediaType.ociManifest);
    expect(parsed.kind === 'image' && parsed.manifest.layers[0]?.digest).to.equal(digestB);
  });

  it('parses an OCI index with platforms, a Docker manifest and a manifest list', () => {
    const index = parseManifest(bytes(ociIndex()), MediaType.ociIndex);
    expect(index.kind === 'index' && index.manifest.manifests[0]?.platform).to.deep.equal({
      architecture: 'amd64',
      os: 'linux',
    });
    expect(parseManifest(bytes(dockerManifest()), MediaType.dockerManifest).kind).to.equal('image');
    const list = ociIndex({ mediaType: MediaType.dockerManifestList });
    expect(parseManifest(bytes(list), MediaType.dockerManifestList).kind).to.equal('index');
  });

  it('parses an artifact with artifactType, subject and annotations', () => {
    const artifact = ociManifest({
      artifactType: 'application/vnd.example.sbom+json',
      config: { mediaType: MediaType.ociEmpty, digest: digestA, size: 2, data: 'e30=' },
      subject: { mediaType: MediaType.ociManifest, digest: digestC, size: 500 },
      annotations: { 'org.opencontainers.image.created': '2026-11-28T00:00:00Z' },
    });
    const parsed = parseManifest(bytes(artifact), MediaType.ociManifest);
    expect(parsed.kind === 'image' && parsed.manifest.subject?.digest).to.equal(digestC);
    expect(parsed.kind === 'image' && parsed.manifest.artifactType).to.equal(
      'application/vnd.example.sbom+json',
    );
  });

  it('takes the media type from the body when the Content-Type says nothing useful', () => {
    expect(parseManifest(bytes(ociManifest()), 'application/json').mediaType).to.equal(
      MediaType.ociManifest,
    );
    expect(parseManifest(bytes(dockerManifest())).mediaType).to.equal(MediaType.dockerManifest);
    expect(parseManifest(bytes(ociIndex()), '').mediaType).to.equal(MediaType.ociIndex);
    expect(
      parseManifest(bytes(ociManifest()), `${MediaType.ociManifest}; charset=utf-8`).kind,
    ).to.equal('image');
  });

  it('tells OCI manifests without mediaType apart by shape', () => {
    const { mediaType: _manifestType, ...manifest } = ociManifest();
    const { mediaType: _indexType, ...index } = ociIndex();
    expect(detectManifestMediaType(bytes(manifest))).to.equal(MediaType.ociManifest);
    expect(detectManifestMediaType(bytes(index))).to.equal(MediaType.ociIndex);
    expect(parseManifest(bytes(manifest), MediaType.ociManifest).kind).to.equal('image');
    expect(detectManifestMediaType(bytes(dockerManifest()))).to.equal(MediaType.dockerManifest);
    expect(detectManifestMediaType(bytes({ schemaVersion: 1 }))).to.equal(MediaType.dockerSchema1);
    expect(detectManifestMediaType(Buffer.from('nonsense'))).to.equal(undefined);
    expect(detectManifestMediaType(bytes([]))).to.equal(undefined);
  });

  const failures: [string, Buffer, string | undefined, RegExp, string | undefined][] = [
    ['not JSON', Buffer.from('{'), MediaType.ociManifest, /not valid UTF-8 JSON/, undefined],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), undefined, /not valid UTF-8 JSON/, undefined],
    ['not an object', bytes([1, 2]), undefined, /must be a JSON object/, undefined],
    [
      'an unknown Content-Type',
      bytes(ociManifest()),
      'text/plain',
      /unsupported manifest media type "text\/plain"/,
      undefined,
    ],
    [
      'a body mediaType unlike the Content-Type',
      bytes(ociManifest()),
      MediaType.ociIndex,
      /does not match the Content-Type/,
      'mediaType',
    ],
    [
      'an unknown body mediaType',
      bytes(ociManifest({ mediaType: 'application/x-thing' })),
      undefined,
      /unsupported manifest media type/,
      'mediaType',
    ],
    [
      'a mediaType that is no media type',
      bytes(ociManifest({ mediaType: 'nonsense' })),
      undefined,
      /is not a media type/,
      'mediaType',
    ],
    [
      'schemaVersion 3',
      bytes(ociManifest({ schemaVersion: 3 })),
      undefined,
      /must be 2/,
      'schemaVersion',
    ],
    [
      'schemaVersion as a string',
      bytes(ociManifest({ schemaVersion: '2' })),
      undefined,
      /whole number/,
      'schemaVersion',
    ],
    [
      'a Docker manifest without mediaType',
      bytes({ ...dockerManifest(), mediaType: undefined }),
      MediaType.dockerManifest,
      /is required/,
      'mediaType',
    ],
    [
      'an image manifest with manifests',
      bytes(ociManifest({ manifests: [] })),
      MediaType.ociManifest,
      /must not have "manifests"/,
      'manifests',
    ],
    [
      'an index with layers',
      bytes(ociIndex({ layers: [] })),
      MediaType.ociIndex,
      /must not have "layers"/,
      'layers',
    ],
    [
      'no config',
      bytes(ociManifest({ config: undefined })),
      undefined,
      /must be a JSON object/,
      'config',
    ],
    [
      'layers not an array',
      bytes(ociManifest({ layers: {} })),
      undefined,
      /must be an array/,
      'layers',
    ],
    [
      'a bad layer digest',
      bytes(
        ociManifest({ layers: [{ mediaType: MediaType.ociLayer, digest: 'sha256:zz', size: 1 }] }),
      ),
      undefined,
      /invalid digest/,
      'layers[0].digest',
    ],
    [
      'a negative size',
      bytes(ociManifest({ config: { mediaType: MediaType.ociConfig, digest: digestA, size: -1 } })),
      undefined,
      /whole number/,
      'config.size',
    ],
    [
      'a non-string annotation',
      bytes(ociManifest({ annotations: { a: 1 } })),
      undefined,
      /must be a string/,
      'annotations.a',
    ],
    [
      'annotations not an object',
      bytes(ociManifest({ annotations: [] })),
      undefined,
      /object of strings/,
      'annotations',
    ],
    [
      'urls not strings',
      bytes(
        ociManifest({
          layers: [{ mediaType: MediaType.ociLayer, digest: digestB, size: 1, urls: [1] }],
        }),
      ),
      undefined,
      /must be a string/,
      'layers[0].urls[0]',
    ],
    [
      'a platform without os',
      bytes(
        ociIndex({
          manifests: [
            {
              mediaType: MediaType.ociManifest,
              digest: digestA,
              size: 1,
              platform: { architecture: 'arm64' },
            },
          ],
        }),
      ),
      undefined,
      /must be a string/,
      'manifests[0].platform.os',
    ],
    [
      'a foreign layer without urls',
      bytes(
        dockerManifest({
          layers: [{ mediaType: MediaType.dockerForeignLayer, digest: digestB, size: 1 }],
        }),
      ),
      undefined,
      /needs urls/,
      'layers[0].urls',
    ],
    [
      'a bad artifactType',
      bytes(ociManifest({ artifactType: 'sbom' })),
      undefined,
      /is not a media type/,
      'artifactType',
    ],
  ];
  for (const [what, content, contentType, reason, field] of failures) {
    it(`rejects ${what}, naming the field`, () => {
      const error = invalid(content, contentType);
      expect(error.reason).to.match(reason);
      expect(error.field).to.equal(field);
      expect(error.code).to.equal('MANIFEST_INVALID');
      expect(error.message).to.match(/^invalid manifest: /);
    });
  }
});
