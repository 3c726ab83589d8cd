import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  DigestInvalidError,
  Digester,
  digestOf,
  emptyDigest,
  isDigest,
  isOciError,
  parseDigest,
} from '../src/index.js';

const sha256 = `sha256:${'a'.repeat(64)}`;
const sha512 = `sha512:${'0123456789abcdef'.repeat(8)}`;

describe('digests', () => {
  it('parse sha256 and sha512', () => {
    expect(parseDigest(sha256)).to.deep.equal({
      digest: sha256,
      algorithm: 'sha256',
      encoded: 'a'.repeat(64),
    });
    expect(parseDigest(sha512).algorithm).to.equal('sha512');
    expect(isDigest(sha256)).to.equal(true);
    expect(isDigest(42)).to.equal(false);
  });

  const invalid: [string, RegExp][] = [
    ['', /expected "<algorithm>:<encoded>"/],
    ['sha256', /expected/],
    ['sha256:', /expected/],
    [`SHA256:${'a'.repeat(64)}`, /expected/],
    [`sha256:${'A'.repeat(64)}`, /64 lowercase hex digits/],
    [`sha256:${'a'.repeat(63)}`, /64 lowercase hex digits/],
    [`sha512:${'a'.repeat(64)}`, /128 lowercase hex digits/],
    [`md5:${'a'.repeat(32)}`, /unsupported algorithm "md5"/],
    [`sha256:${'g'.repeat(64)}`, /hex/],
  ];
  for (const [value, reason] of invalid) {
    it(`reject ${JSON.stringify(value.slice(0, 20))}… saying why`, () => {
      try {
        parseDigest(value);
        expect.fail('parseDigest should throw');
      } catch (error) {
        expect(error).to.be.instanceOf(DigestInvalidError);
        expect((error as DigestInvalidError).reason).to.match(reason);
        expect((error as DigestInvalidError).code).to.equal('DIGEST_INVALID');
        expect(isOciError(error, 'DIGEST_INVALID')).to.equal(true);
      }
      expect(isDigest(value)).to.equal(false);
    });
  }

  it('compute digests of content, incrementally too', () => {
    const content = Buffer.from('hello registry');
    const expected = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    expect(digestOf(content)).to.equal(expected);
    expect(digestOf(content, 'sha512')).to.equal(
      `sha512:${createHash('sha512').update(content).digest('hex')}`,
    );
    const digester = new Digester();
    digester.update(content.subarray(0, 5));
    expect(digester.digest()).to.equal(digestOf(content.subarray(0, 5)));
    digester.update(content.subarray(5));
    expect(digester.digest()).to.equal(expected);
    expect(digester.size).to.equal(content.length);
    expect(emptyDigest).to.equal(digestOf(new Uint8Array(0)));
  });

  it('are recognised across package copies by brand', () => {
    expect(isOciError(new Error('x'))).to.equal(false);
    expect(isOciError(null)).to.equal(false);
  });
});
