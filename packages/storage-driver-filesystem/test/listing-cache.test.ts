import { mkdir, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { createFilesystemDriver } from '../src/index.js';
import { ListingCache } from '../src/listing-cache.js';
import { temporaryRoot } from './helpers.js';

/** A directory whose names and mtime the test sets, counting reads. */
function fakeDirectory(names: string[], mtimeMs: number) {
  const state = { names, mtimeNs: BigInt(mtimeMs) * 1_000_000n, reads: 0, stats: 0 };
  const fs = {
    readdir: () => {
      state.reads += 1;
      return Promise.resolve([...state.names]);
    },
    stat: () => {
      state.stats += 1;
      return Promise.resolve({ mtimeNs: state.mtimeNs });
    },
  } as unknown as ConstructorParameters<typeof ListingCache>[0];
  return { fs, state };
}

const direct = <T>(operation: () => Promise<T>): Promise<T> => operation();

describe('ListingCache', () => {
  const many = Array.from({ length: 300 }, (_, i) => `n${String(i)}`);

  it('reuses a large listing while the mtime stays, and reads again once it moves', async () => {
    const { fs, state } = fakeDirectory(many, 1_000);
    const cache = new ListingCache(fs, direct, { now: () => 10_000 });
    for (let i = 0; i < 4; i += 1) expect(await cache.readdir('/d')).to.have.length(300);
    // First read plain, second stat + read (now cached), then stats only.
    expect(state).to.include({ reads: 2, stats: 3 });
    state.names = [...many, 'new'];
    state.mtimeNs += 1n;
    expect(await cache.readdir('/d')).to.include('new');
    expect(state.reads).to.equal(3);
  });

  it('never keeps a listing read within the racy margin of the last change', async () => {
    const { fs, state } = fakeDirectory(many, 10_000);
    const cache = new ListingCache(fs, direct, { now: () => 10_500, racyMarginMs: 1000 });
    for (let i = 0; i < 4; i += 1) await cache.readdir('/d');
    expect(state.reads).to.equal(4);
  });

  it('takes 50 ms as the margin where mtimes have nanoseconds, 2 s where they do not', async () => {
    const fine = fakeDirectory(many, 10_000);
    fine.state.mtimeNs += 1n;
    const fineCache = new ListingCache(fine.fs, direct, { now: () => 10_060 });
    for (let i = 0; i < 3; i += 1) await fineCache.readdir('/d');
    expect(fine.state.reads).to.equal(2);
    const coarse = fakeDirectory(many, 10_000);
    const coarseCache = new ListingCache(coarse.fs, direct, { now: () => 11_500 });
    for (let i = 0; i < 3; i += 1) await coarseCache.readdir('/d');
    expect(coarse.state.reads).to.equal(3);
  });

  it('reads a small directory every time, with no stat', async () => {
    const { fs, state } = fakeDirectory(['a', 'b'], 1_000);
    const cache = new ListingCache(fs, direct, { now: () => 10_000 });
    for (let i = 0; i < 3; i += 1) await cache.readdir('/d');
    expect(state).to.include({ reads: 3, stats: 0 });
  });

  it('stops caching a directory that shrank, and forgets on request', async () => {
    const { fs, state } = fakeDirectory(many, 1_000);
    const cache = new ListingCache(fs, direct, { now: () => 10_000 });
    await cache.readdir('/d');
    state.names = ['a'];
    state.mtimeNs += 1n;
    expect(await cache.readdir('/d')).to.deep.equal(['a']);
    expect(await cache.readdir('/d')).to.deep.equal(['a']);
    expect(state.stats).to.equal(1);
    state.names = many;
    await cache.readdir('/d');
    await cache.readdir('/d');
    cache.forget('/d');
    await cache.readdir('/d');
    expect(state.reads).to.equal(6);
  });
});

describe('filesystem listings of large directories', () => {
  it('show every entry added or removed, whatever the cache holds', async () => {
    const root = await temporaryRoot();
    try {
      const driver = createFilesystemDriver({ rootDirectory: root });
      const dir = join(root, 'big');
      await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          mkdir(join(dir, `e${String(i).padStart(3, '0')}`), { recursive: true }),
        ),
      );
      // An old mtime, as a directory last changed long ago has: its listing is kept.
      await utimes(dir, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      for (let i = 0; i < 3; i += 1) expect(await driver.list('/big')).to.have.length(300);
      await mkdir(join(dir, 'e999'));
      expect(await driver.list('/big')).to.include('/big/e999');
      await rm(join(dir, 'e000'), { recursive: true });
      const after = await driver.list('/big');
      expect(after).to.have.length(300);
      expect(after).not.to.include('/big/e000');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
