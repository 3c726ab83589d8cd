import { expect } from 'chai';
import { copyRanges } from '../src/s3-copy.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('s3 copy ranges', () => {
  it('cover the object exactly, in chunk-sized ranges', () => {
    expect(copyRanges(96 * MiB, 32 * MiB)).to.deep.equal([
      { start: 0, end: 32 * MiB - 1 },
      { start: 32 * MiB, end: 64 * MiB - 1 },
      { start: 64 * MiB, end: 96 * MiB - 1 },
    ]);
  });

  it('fold a remainder under the 5 MiB part minimum into the range before it', () => {
    expect(copyRanges(33 * MiB, 32 * MiB)).to.deep.equal([{ start: 0, end: 33 * MiB - 1 }]);
    expect(copyRanges(6 * MiB, 5 * MiB)).to.deep.equal([{ start: 0, end: 6 * MiB - 1 }]);
  });

  it('split a folded range that would pass 5 GiB in two', () => {
    const ranges = copyRanges(5 * GiB + MiB, 5 * GiB);
    expect(ranges).to.have.length(2);
    expect(ranges[0]?.start).to.equal(0);
    expect(ranges[1]?.end).to.equal(5 * GiB + MiB - 1);
    for (const range of ranges) expect(range.end - range.start + 1).to.be.at.most(5 * GiB);
  });

  it('leave a small object whole', () => {
    expect(copyRanges(100, 32 * MiB)).to.deep.equal([{ start: 0, end: 99 }]);
  });
});
