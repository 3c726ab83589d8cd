import { expect } from 'chai';
import { pairOrder, runsOfPair } from '../src/runner.js';

describe('runner', () => {
  it('alternates which server goes first, pair by pair', () => {
    expect(pairOrder(1)).to.deep.equal(['lading', 'distribution']);
    expect(pairOrder(2)).to.deep.equal(['distribution', 'lading']);
  });

  it('adds a run of Lading without fsync to every pair that asks for it, in turn in each place', () => {
    expect(runsOfPair(2, {})).to.deep.equal([
      [1, 'distribution', false],
      [2, 'lading', false],
    ]);
    expect(runsOfPair(1, { fsyncFreeCeiling: true })).to.deep.equal([
      [1, 'lading', false],
      [2, 'distribution', false],
      [3, 'lading', true],
    ]);
    // Not always last: first in pair 2, second in pair 3.
    expect(runsOfPair(2, { fsyncFreeCeiling: true })).to.deep.equal([
      [1, 'lading', true],
      [2, 'distribution', false],
      [3, 'lading', false],
    ]);
    expect(runsOfPair(3, { fsyncFreeCeiling: true })).to.deep.equal([
      [1, 'lading', false],
      [2, 'lading', true],
      [3, 'distribution', false],
    ]);
  });
});
