import { expect } from 'chai';
import { partRanges } from '../src/index.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** S3's bounds, which the ranges below were first written for. */
const s3 = { minimum: 5 * 1024 * 1024, maximum: 5 * 1024 * 1024 * 1024 };

describe('part ranges', () => {
  it('cover the object exactly, in chunk-sized ranges', () => {
    expect(partRanges(96 * MiB, 32 * MiB, s3)).to.deep.equal([
      { start: 0, end: 32 * MiB - 1 },
      { start: 32 * MiB, end: 64 * MiB - 1 },
      { start: 64 * MiB, end: 96 * MiB - 1 },
    ]);
  });

  it('fold a remainder under the 5 MiB part minimum into the range before it', () => {
    expect(partRanges(33 * MiB, 32 * MiB, s3)).to.deep.equal([{ start: 0, end: 33 * MiB - 1 }]);
    expect(partRanges(6 * MiB, 5 * MiB, s3)).to.deep.equal([{ start: 0, end: 6 * MiB - 1 }]);
  });

  it('split a folded range that would pass 5 GiB in two', () => {
    const ranges = partRanges(5 * GiB + MiB, 5 * GiB, s3);
    expect(ranges).to.have.length(2);
    expect(ranges[0]?.start).to.equal(0);
    expect(ranges[1]?.end).to.equal(5 * GiB + MiB - 1);
    for (const range of ranges) expect(range.end - range.start + 1).to.be.at.most(5 * GiB);
  });

  it('leave a small object whole', () => {
    expect(partRanges(100, 32 * MiB, s3)).to.deep.equal([{ start: 0, end: 99 }]);
  });
});

describe('part ranges with OSS-like bounds', () => {
  it('fold only a remainder under the given minimum', () => {
    const oss = { minimum: 100 * 1024, maximum: 5 * GiB };
    expect(partRanges(10 * MiB + 50 * 1024, 5 * MiB, oss)).to.deep.equal([
      { start: 0, end: 5 * MiB - 1 },
      { start: 5 * MiB, end: 10 * MiB + 50 * 1024 - 1 },
    ]);
    expect(partRanges(10 * MiB + 200 * 1024, 5 * MiB, oss)).to.have.length(3);
  });
});
