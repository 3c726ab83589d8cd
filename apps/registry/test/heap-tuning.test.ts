import { expect } from 'chai';
import { heapGrowthVariable, limitHeapGrowth } from '../src/heap-tuning.js';

describe('limitHeapGrowth', () => {
  it('limits the growth to 150% by default, or to what the variable says', () => {
    expect(limitHeapGrowth({}, [])).to.equal(150);
    expect(limitHeapGrowth({ [heapGrowthVariable]: '150' }, [])).to.equal(150);
  });

  it('leaves V8 alone with 0, or when Node was given its own setting', () => {
    expect(limitHeapGrowth({ [heapGrowthVariable]: '0' }, [])).to.equal(undefined);
    expect(limitHeapGrowth({}, ['--heap-growing-percent=50'])).to.equal(undefined);
    expect(limitHeapGrowth({}, ['--max-old-space-size=512 --heap-growing-percent=50'])).to.equal(
      undefined,
    );
  });

  it('refuses a value that is no percent, naming the variable', () => {
    for (const value of ['x', '-1', '2.5', '1001']) {
      expect(() => limitHeapGrowth({ [heapGrowthVariable]: value }, [])).to.throw(
        heapGrowthVariable,
      );
    }
  });
});
