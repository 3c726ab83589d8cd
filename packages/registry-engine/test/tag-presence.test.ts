import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import { createRegistryEngine, layout } from '../src/index.js';
import { TagPresence } from '../src/tag-presence.js';
import { pushImage } from './support.js';

describe('tag listings and TagPresence', () => {
  it('stat only the tags this process has not seen with their link', async () => {
    const stats: string[] = [];
    const driver = createInMemoryDriver({
      onOperation: ({ method, path }) => {
        if (method === 'stat') stats.push(path);
      },
    });
    const writer = createRegistryEngine({ driver }).repository('library/app');
    const image = await pushImage(writer);
    const tags = Array.from({ length: 50 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    for (const tag of tags) await writer.tags.set(tag, image.digest);

    stats.length = 0;
    expect((await writer.tags.list()).tags).to.deep.equal(tags);
    expect(stats).to.deep.equal([]); // it wrote them all

    // Another process on the same storage checks each tag once, then knows them.
    const reader = createRegistryEngine({ driver }).repository('library/app');
    expect((await reader.tags.list()).tags).to.deep.equal(tags);
    expect(stats).to.have.length(50);
    stats.length = 0;
    expect((await reader.tags.list({ n: 10, last: 't09' })).tags).to.deep.equal(tags.slice(10, 20));
    expect(stats).to.deep.equal([]);
  });

  it('drop a tag removed here at once, and one removed elsewhere with its directory', async () => {
    const driver = createInMemoryDriver();
    const here = createRegistryEngine({ driver, deleteEnabled: true }).repository('library/app');
    const elsewhere = createRegistryEngine({ driver, deleteEnabled: true }).repository(
      'library/app',
    );
    const image = await pushImage(here);
    for (const tag of ['a', 'b', 'c']) await here.tags.set(tag, image.digest);
    await here.tags.remove('a');
    await elsewhere.tags.remove('b');
    expect((await here.tags.list()).tags).to.deep.equal(['c']);
    // Set again elsewhere after a removal here: listed, after one stat.
    await elsewhere.tags.set('a', image.digest);
    expect((await here.tags.list()).tags).to.deep.equal(['a', 'c']);
    // A link removed elsewhere without its directory (a crash mid-removal) is
    // believed until the entry expires; a fresh process leaves it out.
    await driver.delete(layout.tagCurrentLinkPath('library/app', 'c'));
    expect((await here.tags.list()).tags).to.deep.equal(['a', 'c']);
    const fresh = createRegistryEngine({ driver }).repository('library/app');
    expect((await fresh.tags.list()).tags).to.deep.equal(['a']);
  });

  it('forget entries after their time to live', () => {
    const clock = { now: 1_000 };
    const presence = new TagPresence(10, 20, () => clock.now);
    presence.confirm('library/app', 'v1');
    expect(presence.has('library/app', 'v1')).to.equal(true);
    expect(presence.has('library/app', 'v2')).to.equal(false);
    expect(presence.has('library/ap', 'pv1')).to.equal(false);
    clock.now += 20;
    expect(presence.has('library/app', 'v1')).to.equal(false);
    presence.confirm('library/app', 'v1'); // seen again: known again
    expect(presence.checker('library/app')('v1')).to.equal(true);
  });

  it('drop the repositories known longest once past maxEntries', () => {
    const presence = new TagPresence(3);
    presence.confirm('a', 'v1');
    presence.confirm('a', 'v2');
    presence.confirm('b', 'v1');
    presence.confirm('b', 'v1'); // the same tag again counts once
    expect(presence.has('a', 'v1')).to.equal(true);
    presence.confirm('c', 'v1');
    expect([presence.has('a', 'v1'), presence.has('a', 'v2')]).to.deep.equal([false, false]);
    expect([presence.has('b', 'v1'), presence.has('c', 'v1')]).to.deep.equal([true, true]);
    presence.forget('b', 'v1');
    presence.forget('b', 'v1');
    presence.confirm('d', 'v1');
    presence.confirm('d', 'v2');
    expect(presence.has('c', 'v1')).to.equal(true);
  });
});
