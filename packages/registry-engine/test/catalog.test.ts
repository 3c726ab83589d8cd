import { expect } from 'chai';
import { PaginationNumberInvalidError, compareRepositoryNames } from '../src/index.js';
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
