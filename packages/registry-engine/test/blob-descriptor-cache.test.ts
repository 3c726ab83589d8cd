import { expect } from 'chai';
import { createInMemoryBlobDescriptorCache, noBlobDescriptorCache } from '../src/index.js';

const descriptor = (n: number) => ({
  digest: `sha256:${String(n).padStart(64, '0')}`,
  size: n,
  mediaType: 'application/octet-stream',
});

describe('blob descriptor caches', () => {
  it('the in-memory one remembers, forgets on request, and evicts the least recently used', async () => {
    const cache = createInMemoryBlobDescriptorCache(2);
    await cache.set(descriptor(1));
    await cache.set(descriptor(2));
    expect(await cache.get(descriptor(1).digest)).to.deep.equal(descriptor(1));
    await cache.set(descriptor(3));
    expect(await cache.get(descriptor(2).digest), 'evicted').to.equal(undefined);
    expect(await cache.get(descriptor(3).digest)).to.deep.equal(descriptor(3));
    await cache.delete(descriptor(3).digest);
    expect(await cache.get(descriptor(3).digest)).to.equal(undefined);
  });

  it('the null one remembers nothing', async () => {
    await noBlobDescriptorCache.set(descriptor(1));
    expect(await noBlobDescriptorCache.get(descriptor(1).digest)).to.equal(undefined);
    await noBlobDescriptorCache.delete(descriptor(1).digest);
  });
});
