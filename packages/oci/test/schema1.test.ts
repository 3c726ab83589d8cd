import { generateKeyPairSync, sign } from 'node:crypto';
import { expect } from 'chai';
import {
  ManifestInvalidError,
  ManifestUnverifiedError,
  MediaType,
  manifestReferences,
  parseManifest,
  signSchema1,
  type Schema1Manifest,
} from '../src/index.js';
import { digestA, digestB } from './fixtures.js';

const manifest: Schema1Manifest = {
  schemaVersion: 1,
  name: 'library/old',
  tag: 'latest',
  architecture: 'amd64',
  fsLayers: [{ blobSum: digestA }, { blobSum: digestB }, { blobSum: digestA }],
  history: [{ v1Compatibility: '{}' }, { v1Compatibility: '{}' }, { v1Compatibility: '{}' }],
};
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signed = signSchema1(manifest, privateKey);

function unverified(content: Buffer): string {
  try {
    parseManifest(content, MediaType.dockerSchema1Signed);
  } catch (error) {
    expect(error).to.be.instanceOf(ManifestUnverifiedError);
    expect((error as ManifestUnverifiedError).code).to.equal('MANIFEST_UNVERIFIED');
    return (error as Error).message;
  }
  throw new Error('parseManifest should throw');
}

/** Replaces the first signature's fields, keeping the document otherwise as signed. */
function withSignature(change: (signature: Record<string, unknown>) => void): Buffer {
  const document = JSON.parse(signed.toString()) as { signatures: Record<string, unknown>[] };
  const [signature] = document.signatures;
  if (signature === undefined) throw new Error('no signature');
  change(signature);
  return Buffer.concat([
    signed.subarray(0, signed.indexOf(',\n   "signatures"')),
    Buffer.from(`,\n   "signatures": ${JSON.stringify(document.signatures)}\n}`),
  ]);
}

describe('schema 1 manifests', () => {
  it('verify libtrust-style signatures and expose the signed payload', () => {
    const parsed = parseManifest(signed, MediaType.dockerSchema1Signed);
    expect(parsed.kind).to.equal('schema1');
    if (parsed.kind !== 'schema1') return;
    expect(parsed.manifest).to.deep.equal(manifest);
    expect(JSON.parse(parsed.payload.toString())).to.deep.equal(manifest);
    expect(parseManifest(signed).mediaType, 'detected by shape').to.equal(
      MediaType.dockerSchema1Signed,
    );
  });

  it('verify P-384 and RSA signatures', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    expect(parseManifest(signSchema1(manifest, p384)).kind).to.equal('schema1');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaSigned = withSignature((signature) => {
      const protectedHeader = signature.protected as string;
      const document = signed.subarray(0, signed.indexOf(',\n   "signatures"'));
      const payload = Buffer.concat([document, Buffer.from('\n}')]).toString('base64url');
      signature.header = { jwk: rsa.publicKey.export({ format: 'jwk' }), alg: 'RS256' };
      signature.signature = sign(
        'sha256',
        Buffer.from(`${protectedHeader}.${payload}`),
        rsa.privateKey,
      ).toString('base64url');
    });
    expect(parseManifest(rsaSigned).kind).to.equal('schema1');
  });

  it('reject a manifest changed after signing', () => {
    expect(unverified(Buffer.from(signed.toString().replace('"amd64"', '"arm64"')))).to.contain(
      'does not verify',
    );
  });

  it('reject missing, incomplete or unusable signatures', () => {
    expect(
      unverified(
        withSignature((s) => {
          s.header = { jwk: {}, alg: 'HS256' };
        }),
      ),
    ).to.contain('unsupported algorithm "HS256"');
    expect(
      unverified(
        withSignature((s) => {
          s.protected = 'not-json';
        }),
      ),
    ).to.contain('not base64url JSON');
    expect(
      unverified(
        withSignature((s) => {
          s.protected = Buffer.from('{"formatLength":1}').toString('base64url');
        }),
      ),
    ).to.contain('lacks formatLength or formatTail');
    expect(
      unverified(
        withSignature((s) => {
          s.protected = Buffer.from('{"formatLength":999999,"formatTail":""}').toString(
            'base64url',
          );
        }),
      ),
    ).to.contain('outside the manifest');
    expect(
      unverified(
        withSignature((s) => {
          s.header = { alg: 'ES256' };
        }),
      ),
    ).to.contain('has no jwk key');
    expect(
      unverified(
        withSignature((s) => {
          s.header = { alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' } };
        }),
      ),
    ).to.contain('unusable key');
    expect(
      unverified(
        withSignature((s) => {
          delete s.signature;
        }),
      ),
    ).to.contain('is incomplete');
    expect(
      unverified(
        withSignature((s) => {
          delete s.header;
        }),
      ),
    ).to.contain('has no header');
    const unsignedButClaimed = Buffer.from(JSON.stringify({ ...manifest, signatures: [] }));
    expect(unverified(unsignedButClaimed)).to.contain('no signatures');
  });

  it('reject signatures that cover different payloads', () => {
    const document = JSON.parse(signed.toString()) as { signatures: Record<string, unknown>[] };
    const [first] = document.signatures;
    const head = signed.subarray(0, signed.indexOf(',\n   "signatures"'));
    // A second, valid signature over the document with another tail.
    const tail = Buffer.from('\n }');
    const header = Buffer.from(
      JSON.stringify({ formatLength: head.length, formatTail: tail.toString('base64url') }),
    ).toString('base64url');
    const payload = Buffer.concat([head, tail]).toString('base64url');
    const second = {
      header: first?.header,
      protected: header,
      signature: sign('sha256', Buffer.from(`${header}.${payload}`), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      }).toString('base64url'),
    };
    const twice = Buffer.concat([
      head,
      Buffer.from(`,\n   "signatures": ${JSON.stringify([first, second])}\n}`),
    ]);
    expect(unverified(twice)).to.contain('signature 1 covers a different payload');
  });

  it('reject a manifest whose history does not match its layers', () => {
    const broken = signSchema1({ ...manifest, history: [{ v1Compatibility: '{}' }] }, privateKey);
    expect(() => parseManifest(broken)).to.throw(ManifestInvalidError, /1 entries for 3 fsLayers/);
    const empty = signSchema1({ ...manifest, fsLayers: [], history: [] }, privateKey);
    expect(() => parseManifest(empty)).to.throw(
      ManifestInvalidError,
      /fsLayers: must not be empty/,
    );
  });

  it('parse unsigned schema 1 as such, leaving the policy to the caller', () => {
    const parsed = parseManifest(Buffer.from(JSON.stringify(manifest)));
    expect(parsed.mediaType).to.equal(MediaType.dockerSchema1);
    expect(manifestReferences(parsed).blobs.map((blob) => blob.digest)).to.deep.equal([
      digestA,
      digestB,
    ]);
  });

  it('refuse to sign with a key that is not EC', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() => signSchema1(manifest, rsa)).to.throw(/needs an EC/);
  });
});
