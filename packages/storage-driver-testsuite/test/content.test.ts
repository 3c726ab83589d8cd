import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  collect,
  patternBytes,
  patternChunks,
  patternDigest,
  patternStream,
  summarize,
} from '../src/content.js';

describe('pattern content', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(patternBytes('a', 0, 64).equals(patternBytes('a', 0, 64))).to.equal(true);
    expect(patternBytes('a', 0, 64).equals(patternBytes('b', 0, 64))).to.equal(false);
  });

  it('gives the same bytes at any offset as the whole content does there', () => {
    const whole = patternBytes('seed', 0, 10_000);
    for (const [offset, length] of [
      [0, 1],
      [1, 15],
      [15, 2],
      [16, 16],
      [4095, 300],
      [9_999, 1],
    ] as const) {
      expect(
        patternBytes('seed', offset, length).equals(whole.subarray(offset, offset + length)),
      ).to.equal(true);
    }
    expect(patternBytes('seed', 5, 0)).to.have.length(0);
  });

  it('streams in chunks that add up to the content and its digest', async () => {
    const size = 300_001;
    const sizes = [...patternChunks('s', 0, size, 65_536)].map((chunk) => chunk.length);
    expect(sizes).to.deep.equal([65_536, 65_536, 65_536, 65_536, 37_857]);
    const whole = Buffer.concat((await patternStream('s', size, 65_536).toArray()) as Buffer[]);
    expect(whole.equals(patternBytes('s', 0, size))).to.equal(true);
    const expected = createHash('sha256').update(whole).digest('hex');
    expect(patternDigest('s', size)).to.equal(expected);
    expect(patternDigest('s', 1000, 500)).to.equal(
      createHash('sha256').update(whole.subarray(500, 1500)).digest('hex'),
    );
    expect(await summarize(patternStream('s', size))).to.deep.equal({ size, sha256: expected });
  });

  it('summarizes and collects streams', async () => {
    expect(await summarize(Readable.from([], { objectMode: false }))).to.deep.equal({
      size: 0,
      sha256: createHash('sha256').digest('hex'),
    });
    expect(
      (await collect(Readable.from([Buffer.from('ab'), Buffer.from('c')]))).toString(),
    ).to.equal('abc');
  });
});
