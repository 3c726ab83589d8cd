import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { MiB, Payload, payload } from '../src/payload.js';

describe('payload', () => {
  it('is the same for the same seed, different for another, at any offset', () => {
    const a = new Payload('a', MiB);
    expect(a.bytes().equals(new Payload('a', MiB).bytes())).to.equal(true);
    expect(a.bytes().equals(new Payload('b', MiB).bytes())).to.equal(false);
    for (const [start, end] of [
      [0, 1],
      [5, 37],
      [16, 32],
      [1000, 70_000],
    ] as const) {
      const fresh = new Payload('a', MiB).generate(start, end);
      expect(fresh.equals(a.bytes().subarray(start, end)), `${start}-${end}`).to.equal(true);
    }
  });

  it('digests its content as sha256', () => {
    const content = payload('digest', 100_000);
    const expected = createHash('sha256').update(content.bytes()).digest('hex');
    expect(content.digest()).to.equal(`sha256:${expected}`);
  });

  it('accepts its own content in any slicing, and names the first wrong byte', () => {
    const content = new Payload('verify', 3 * MiB + 5);
    const verifier = content.verifier();
    for (const piece of content.pieces(65_537)) expect(verifier.update(piece)).to.equal(undefined);
    expect(verifier.finish()).to.equal(undefined);

    const broken = content.verifier();
    const first = Buffer.from(content.generate(0, 1000));
    first[777] = (first[777] ?? 0) ^ 0xff;
    expect(broken.update(first)).to.match(/^byte 777 differs/);
  });

  it('notices a short body and a long one', () => {
    const content = new Payload('length', 1000);
    const short = content.verifier();
    short.update(content.generate(0, 999));
    expect(short.finish()).to.equal('999 bytes, expected 1000');
    const long = content.verifier();
    expect(long.update(Buffer.concat([content.bytes(), Buffer.from([0])]))).to.match(/more than/);
  });

  it('streams content too large to hold, the same bytes as generated', () => {
    const large = new Payload('large', 300 * MiB);
    expect(large.inMemory).to.equal(false);
    expect(() => large.bytes()).to.throw(/too large/);
    const verifier = large.verifier();
    const head = large.generate(0, 2 * MiB);
    expect(verifier.update(head.subarray(0, 12_345))).to.equal(undefined);
    expect(verifier.update(head.subarray(12_345))).to.equal(undefined);
    expect(verifier.received).to.equal(2 * MiB);
  });
});
