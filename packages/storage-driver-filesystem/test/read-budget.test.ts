import { expect } from 'chai';
import { ReadBudget } from '../src/read-budget.js';

describe('ReadBudget', () => {
  it('gives a lone reader the largest chunk, and never more than it will read', () => {
    const budget = new ReadBudget(64, 4, 16);
    expect(budget.take(1000).chunkBytes).to.equal(16);
    expect(budget.take(3).chunkBytes).to.equal(3);
  });

  it('shares the budget among open readers, down to the smallest chunk', () => {
    const budget = new ReadBudget(64, 4, 16);
    const taken = Array.from({ length: 8 }, () => budget.take(1000));
    expect(taken.map((reader) => reader.chunkBytes)).to.deep.equal([16, 16, 16, 16, 12, 10, 9, 8]);
    for (let i = 0; i < 12; i += 1) budget.take(1000);
    expect(budget.take(1000).chunkBytes).to.equal(4);
  });

  it('frees a reader’s share once it is released, once', () => {
    const budget = new ReadBudget(64, 4, 16);
    const readers = Array.from({ length: 8 }, () => budget.take(1000));
    for (const reader of readers) {
      reader.release();
      reader.release();
    }
    expect(budget.open).to.equal(0);
    expect(budget.take(1000).chunkBytes).to.equal(16);
  });
});
