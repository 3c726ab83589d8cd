import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import {
  PaginationNumberInvalidError,
  compareRepositoryNames,
  createRegistryEngine,
} from '../src/index.js';
import { describeOnDrivers, pushImage, rejectionOf } from './support.js';

const names = [
  'a',
  'a/b',
  'a-b',
  'a/b/c',
  'library/alpine',
  'a.b',
  'z',
  'library/alpine-edge',
  'b',
];

describe('compareRepositoryNames', () => {
  it('orders by component, so a repository comes right before what lies below it', () => {
    expect([...names].sort(compareRepositoryNames)).to.deep.equal([
      'a',
      'a/b',
      'a/b/c',
      'a-b',
      'a.b',
      'b',
      'library/alpine',
      'library/alpine-edge',
      'z',
    ]);
  });
});

describeOnDrivers('catalog', (harness) => {
  beforeEach(async () => {
    const { engine } = harness();
    for (const name of names) await pushImage(engine.repository(name), { tag: 'v1' });
    // An upload alone does not make a repository.
    await engine.repository('only/uploads').uploads.start();
  });

  it('lists repositories with manifests in catalog order', async () => {
    const page = await harness().engine.catalog();
    expect(page).to.deep.equal({
      repositories: [...names].sort(compareRepositoryNames),
      truncated: false,
    });
  });

  it('pages with n and an exclusive last, whatever the depth', async () => {
    const { engine } = harness();
    const all = [...names].sort(compareRepositoryNames);
    const seen: string[] = [];
    let last: string | undefined;
    for (;;) {
      const page = await engine.catalog({ n: 2, ...(last === undefined ? {} : { last }) });
      seen.push(...page.repositories);
      if (!page.truncated) break;
      last = page.repositories.at(-1);
    }
    expect(seen).to.deep.equal(all);
    expect((await engine.catalog({ n: 3, last: 'a/b' })).repositories).to.deep.equal([
      'a/b/c',
      'a-b',
      'a.b',
    ]);
    expect((await engine.catalog({ last: 'library' })).repositories).to.deep.equal([
      'library/alpine',
      'library/alpine-edge',
      'z',
    ]);
    expect(await engine.catalog({ n: 0 })).to.deep.equal({ repositories: [], truncated: true });
    expect(await engine.catalog({ last: 'zz' })).to.deep.equal({
      repositories: [],
      truncated: false,
    });
  });

  it('refuses a bad page size', async () => {
    expect(await rejectionOf(harness().engine.catalog({ n: -5 }))).to.be.instanceOf(
      PaginationNumberInvalidError,
    );
  });
});

describe('catalog listings', () => {
  /** An in-memory driver whose listings take a while, counted, and fail for `failing`. */
  function slowListings(failing: string) {
    const driver = createInMemoryDriver();
    const stats = { inFlight: 0, peak: 0, listed: [] as string[] };
    const list = driver.list.bind(driver);
    driver.list = async (path: string) => {
      stats.listed.push(path);
      stats.inFlight += 1;
      stats.peak = Math.max(stats.peak, stats.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (path.endsWith(failing)) throw new Error(`cannot list ${path}`);
        return await list(path);
      } finally {
        stats.inFlight -= 1;
      }
    };
    return { driver, stats };
  }

  it('lists sibling directories ahead of the walk, and ignores those it did not need', async () => {
    const { driver, stats } = slowListings('/repo-39');
    const engine = createRegistryEngine({ driver });
    const names = Array.from({ length: 40 }, (_, i) => `team/repo-${String(i).padStart(2, '0')}`);
    for (const name of names) await pushImage(engine.repository(name));
    stats.peak = 0;
    const page = await engine.catalog({ n: 30 });
    expect(page).to.deep.equal({ repositories: names.slice(0, 30), truncated: true });
    expect(stats.peak).to.be.within(2, 40);
    // The listing that fails is needed now: the walk fails with it.
    expect((await rejectionOf(engine.catalog({ n: 30, last: names[29] }))).message).to.contain(
      'cannot list',
    );
  });

  it('lists no more siblings ahead than the page still needs', async () => {
    const { driver, stats } = slowListings('none');
    const engine = createRegistryEngine({ driver });
    const names = Array.from({ length: 40 }, (_, i) => `team/repo-${String(i).padStart(2, '0')}`);
    for (const name of names) await pushImage(engine.repository(name));
    stats.listed.length = 0;
    const page = await engine.catalog({ n: 5 });
    expect(page).to.deep.equal({ repositories: names.slice(0, 5), truncated: true });
    const repositoryListings = stats.listed.filter((path) => /\/team\/repo-\d+$/.test(path));
    // The five on the page and the sixth that says there is more: nothing listed in vain.
    expect(repositoryListings).to.have.length(6);
  });
});
