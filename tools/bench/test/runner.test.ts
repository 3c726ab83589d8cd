import { expect } from 'chai';
import { pairOrder, runsOfPair } from '../src/runner.js';

describe('runner', () => {
  it('alternates which server goes first, pair by pair', () => {
    expect(pairOrder(1)).to.deep.equal(['lading', 'distribution']);
    expect(pairOrder(2)).to.deep.equal(['distribution', 'lading']);
  });

  it('adds a run of Lading without fsync to every pair of a workload that asks for it', () => {
    expect(runsOfPair(2, {})).to.deep.equal([
      [1, 'distribution', false],
      [2, 'lading', false],
    ]);
    expect(runsOfPair(1, { fsyncFreeCeiling: true })).to.deep.equal([
      [1, 'lading', false],
      [2, 'distribution', false],
      [3, 'lading', true],
    ]);
  });
});
