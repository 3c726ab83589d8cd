import { expect } from 'chai';
import { parseOptions, UsageError } from '../src/options.js';

describe('options', () => {
  it('default to three pairs of every workload', () => {
    const options = parseOptions([]);
    expect(options).to.include({ smoke: false, pairs: 3, requireTargets: false });
    expect(options.only).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(options.json).to.equal(undefined);
  });

  it('run one pair in smoke mode unless told otherwise', () => {
    expect(parseOptions(['--smoke']).pairs).to.equal(1);
    expect(parseOptions(['--smoke', '--pairs', '2']).pairs).to.equal(2);
  });

  it('take --only as a sorted set of workload numbers', () => {
    expect(parseOptions(['--only', '7,1, 4,1']).only).to.deep.equal([1, 4, 7]);
  });

  it('take the paths and flags', () => {
    const options = parseOptions([
      '--json',
      'out.json',
      '--lading-cli',
      'x.js',
      '--require-targets',
    ]);
    expect(options).to.include({ json: 'out.json', ladingCli: 'x.js', requireTargets: true });
  });

  for (const args of [
    ['--only', '10'],
    ['--only', '0'],
    ['--only', 'a'],
    ['--pairs', '0'],
    ['--pairs', '1.5'],
    ['--unknown'],
    ['positional'],
  ]) {
    it(`refuse ${args.join(' ')}`, () => {
      expect(() => parseOptions(args)).to.throw(UsageError);
    });
  }
});
