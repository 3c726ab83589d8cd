import { TagInvalidError } from '@lading/oci';
import { expect } from 'chai';
import {
  ManifestUnknownError,
  NameUnknownError,
  PaginationNumberInvalidError,
  layout,
} from '../src/index.js';
import { describeOnDrivers, pushImage, rejectionOf } from './support.js';

describeOnDrivers('tags', (harness) => {
  it('list in byte order, paginated with n and an exclusive last', async () => {
    const repository = harness().repository();
    const image = await pushImage(repository);
    const tags = ['v2', 'latest', 'V1', 'v10', '1.0', '_x', 'a-b', 'a.b'];
    for (const tag of tags) await repository.tags.set(tag, image.digest);
    const sorted = [...tags].sort();
    expect(sorted).to.deep.equal(['1.0', 'V1', '_x', 'a-b', 'a.b', 'latest', 'v10', 'v2']);
    expect(await repository.tags.list()).to.deep.equal({ tags: sorted, truncated: false });
    expect(await repository.tags.list({ n: 3 })).to.deep.equal({
      tags: sorted.slice(0, 3),
      truncated: true,
    });
    expect(await repository.tags.list({ n: 3, last: '_x' })).to.deep.equal({
      tags: ['a-b', 'a.b', 'latest'],
      truncated: true,
    });
    expect(await repository.tags.list({ last: 'latest' })).to.deep.equal({
      tags: ['v10', 'v2'],
      truncated: false,
    });
    expect(await repository.tags.list({ n: 2, last: 'v10' })).to.deep.equal({
      tags: ['v2'],
      truncated: false,
    });
    expect(await repository.tags.list({ n: 0 })).to.deep.equal({ tags: [], truncated: true });
    expect(await repository.tags.list({ last: 'zzz' })).to.deep.equal({
      tags: [],
      truncated: false,
    });
  });

  it('refuse a negative or fractional page size', async () => {
    const repository = harness().repository();
    await pushImage(repository, { tag: 'v1' });
    for (const n of [-1, 1.5]) {
      const error = await rejectionOf(repository.tags.list({ n }));
      expect(error).to.be.instanceOf(PaginationNumberInvalidError);
      expect((error as PaginationNumberInvalidError).code).to.equal('PAGINATION_NUMBER_INVALID');
    }
  });

  it('answer NameUnknownError for a repository without manifests, [] when all tags are gone', async () => {
    const { engine } = harness();
    const error = await rejectionOf(engine.repository('never/pushed').tags.list());
    expect(error).to.be.instanceOf(NameUnknownError);
    expect(error.message).to.equal('repository never/pushed is not known to the registry');
    const repository = engine.repository('library/app');
    const image = await pushImage(repository);
    expect((await repository.tags.list()).tags).to.deep.equal([]);
    await repository.tags.set('v1', image.digest);
    await repository.tags.remove('v1');
    expect((await repository.tags.list()).tags).to.deep.equal([]);
  });

  it('resolve and move', async () => {
    const repository = harness().repository();
    const first = await pushImage(repository, { tag: 'latest' });
    expect(await repository.tags.resolve('latest')).to.equal(first.digest);
    const second = await pushImage(repository, { tag: 'latest', layers: ['new'] });
    expect(await repository.tags.resolve('latest')).to.equal(second.digest);
    expect(await repository.tags.pointingAt(first.digest)).to.deep.equal([]);
    expect(await rejectionOf(repository.tags.resolve('nope'))).to.be.instanceOf(
      ManifestUnknownError,
    );
    expect(await rejectionOf(repository.tags.resolve('-bad'))).to.be.instanceOf(TagInvalidError);
  });

  it('leave out a tag directory without current/link, as a crash mid-write leaves it', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository);
    for (const tag of ['a', 'c', 'e']) await repository.tags.set(tag, image.digest);
    // What a kill -9 leaves between creating a tag's directory and renaming its
    // current/link into place (filesystem driver), or in the middle of removing a
    // tag file by file, or what distribution leaves by writing the index first.
    for (const tag of ['b', 'd', 'f']) {
      await driver.putContent(
        layout.tagIndexLinkPath('library/app', tag, image.digest),
        Buffer.from(image.digest),
      );
    }
    expect((await driver.list(layout.tagsPath('library/app'))).length).to.equal(6);
    expect(await repository.tags.list()).to.deep.equal({ tags: ['a', 'c', 'e'], truncated: false });
    // Pages are full and `truncated` looks past the hidden ones.
    expect(await repository.tags.list({ n: 2 })).to.deep.equal({
      tags: ['a', 'c'],
      truncated: true,
    });
    expect(await repository.tags.list({ n: 1, last: 'c' })).to.deep.equal({
      tags: ['e'],
      truncated: false,
    });
    expect(await repository.tags.list({ n: 0, last: 'e' })).to.deep.equal({
      tags: [],
      truncated: false,
    });
    const details = await repository.tags.listDetails({ n: 2, last: 'a' });
    expect(details.tags.map((tag) => tag.name)).to.deep.equal(['c', 'e']);
    expect(details.truncated).to.equal(false);
    expect(await repository.tags.pointingAt(image.digest)).to.deep.equal(['a', 'c', 'e']);
    // Every tag listed resolves; the half-written one is unknown until it is set.
    for (const tag of (await repository.tags.list()).tags) {
      expect(await repository.tags.resolve(tag)).to.equal(image.digest);
    }
    expect(await rejectionOf(repository.tags.resolve('b'))).to.be.instanceOf(ManifestUnknownError);
    await repository.tags.set('b', image.digest);
    expect((await repository.tags.list({ n: 2 })).tags).to.deep.equal(['a', 'b']);
  });

  it('answer [] when the only tag directory has no current/link', async () => {
    const { driver } = harness();
    const repository = harness().repository();
    const image = await pushImage(repository);
    await driver.putContent(
      layout.tagIndexLinkPath('library/app', 'v1', image.digest),
      Buffer.from(image.digest),
    );
    expect(await repository.tags.list()).to.deep.equal({ tags: [], truncated: false });
    expect(await repository.tags.list({ n: 0 })).to.deep.equal({ tags: [], truncated: false });
  });
});
