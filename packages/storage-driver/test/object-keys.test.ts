import { expect } from 'chai';
import { ObjectKeys, isBookkeepingKey } from '../src/index.js';

describe('ObjectKeys', () => {
  it('map paths as distribution does, with or without a root directory', () => {
    const bare = new ObjectKeys('');
    expect(bare.key('/docker/registry/v2/x')).to.equal('docker/registry/v2/x');
    expect(bare.directoryPrefix('/')).to.equal('');
    const rooted = new ObjectKeys('/registry/');
    expect(rooted.key('/docker/x')).to.equal('registry/docker/x');
    expect(rooted.directoryPrefix('/docker')).to.equal('registry/docker/');
    expect(rooted.directoryPrefix('/')).to.equal('registry/');
    expect(rooted.path('registry/docker/')).to.equal('/docker');
    expect(rooted.partialKey('/a/data')).to.equal('registry/a/data~partial');
  });

  it('takes keys with a ~ for bookkeeping, never for content', () => {
    expect(isBookkeepingKey('a/data~partial')).to.equal(true);
    expect(isBookkeepingKey('a/data')).to.equal(false);
  });
});
