import { expect } from 'chai';
import { closestKey, editDistance } from '../src/suggest.js';

describe('closestKey', () => {
  it('measures edits', () => {
    expect(editDistance('', '')).to.equal(0);
    expect(editDistance('', 'abc')).to.equal(3);
    expect(editDistance('abc', '')).to.equal(3);
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(editDistance('relativeurl', 'relativeurls')).to.equal(1);
    expect(editDistance('µs', 'us')).to.equal(1);
  });

  it('suggests the nearest key within a third of the length, ignoring case', () => {
    const known = ['addr', 'net', 'relativeurls', 'draintimeout', 'http2'];
    expect(closestKey('relativeurl', known)).to.equal('relativeurls');
    expect(closestKey('adr', known)).to.equal('addr');
    expect(closestKey('ADDR', known)).to.equal('addr');
    expect(closestKey('drain', known)).to.equal(undefined);
    expect(closestKey('zzz', known)).to.equal(undefined);
    expect(closestKey('http', ['http2', 'http'])).to.equal('http');
  });
});
