import { expect } from 'chai';
import { median, medianDuration, megabytesPerSecond, percentile } from '../src/stats.js';

describe('stats', () => {
  it('median: the middle value, the mean of the two middle ones, NaN for none', () => {
    expect(median([3, 1, 2])).to.equal(2);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(median([7])).to.equal(7);
    expect(median([])).to.be.NaN;
  });

  it('median leaves its input alone', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).to.deep.equal([3, 1, 2]);
  });

  it('percentile: nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => 100 - index); // 100 … 1
    expect(percentile(hundred, 50)).to.equal(50);
    expect(percentile(hundred, 99)).to.equal(99);
    expect(percentile(hundred, 100)).to.equal(100);
    expect(percentile([5, 1, 9, 3], 50)).to.equal(3);
    expect(percentile([5, 1, 9, 3], 99)).to.equal(9);
    expect(percentile([42], 1)).to.equal(42);
    expect(percentile([], 50)).to.be.NaN;
  });

  it('percentile refuses p outside (0, 100]', () => {
    expect(() => percentile([1], 0)).to.throw(RangeError);
    expect(() => percentile([1], 101)).to.throw(RangeError);
  });

  it('MB/s counts 10^6 bytes', () => {
    expect(megabytesPerSecond(256 * 1024 * 1024, 1000)).to.be.closeTo(268.435456, 1e-9);
    expect(megabytesPerSecond(1e6, 500)).to.equal(2);
  });

  it('medianDuration runs the work the given number of times', async () => {
    let runs = 0;
    const ms = await medianDuration(5, () => {
      runs += 1;
      return Promise.resolve();
    });
    expect(runs).to.equal(5);
    expect(ms).to.be.at.least(0);
  });
});
