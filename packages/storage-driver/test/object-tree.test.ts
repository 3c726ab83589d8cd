import { expect } from 'chai';
import { ObjectTree, isStorageError, type FileInfo } from '../src/index.js';

const at = new Date('2026-11-28T00:00:00Z');
const file = (path: string, size = 1): FileInfo => ({ path, size, modTime: at, isDir: false });
const directory = (path: string): FileInfo => ({
  path,
  size: 0,
  modTime: new Date(0),
  isDir: true,
});

/** A store: each directory's entries in pages of two, unsorted, with `~` bookkeeping mixed in. */
const levels: Record<string, FileInfo[]> = {
  '/': [directory('/b'), file('/a', 3), directory('/only-state')],
  '/b': [file('/b/y'), file('/b/x~partial'), file('/b/x')],
  '/only-state': [file('/only-state/data~partial')],
};
const listed: string[] = [];
const tree = new ObjectTree({
  head: (path) =>
    Promise.resolve(
      Object.values(levels)
        .flat()
        .find((entry) => entry.path === path && !entry.isDir),
    ),
  async *listLevel(path) {
    await Promise.resolve(); // a store answers later
    listed.push(path);
    const entries = levels[path] ?? [];
    for (let start = 0; start < entries.length; start += 2) yield entries.slice(start, start + 2);
  },
});

async function failure(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('ObjectTree', () => {
  it('stats a file by its head and a directory by its listing, hiding bookkeeping', async () => {
    expect(await tree.stat('/a')).to.deep.equal(file('/a', 3));
    expect(await tree.stat('/b')).to.include({ path: '/b', isDir: true, size: 0 });
    expect(await tree.stat('/')).to.include({ isDir: true });
    expect(isStorageError(await failure(tree.stat('/only-state')), 'PATH_NOT_FOUND')).to.equal(
      true,
    );
    expect(isStorageError(await failure(tree.stat('/missing')), 'PATH_NOT_FOUND')).to.equal(true);
  });

  it('lists children sorted and without bookkeeping; an empty non-root is not found', async () => {
    expect(await tree.list('/b')).to.deep.equal(['/b/x', '/b/y']);
    expect(await tree.list('/')).to.deep.equal(['/a', '/b', '/only-state']);
    expect(isStorageError(await failure(tree.list('/only-state')), 'PATH_NOT_FOUND')).to.equal(
      true,
    );
  });

  it('walks with one listing per directory and refuses a start that is no directory', async () => {
    listed.length = 0;
    const seen: string[] = [];
    await tree.walk('/', (info) => {
      seen.push(info.path);
      return info.path === '/only-state' ? 'skip' : undefined;
    });
    expect(seen).to.deep.equal(['/a', '/b', '/b/x', '/b/y', '/only-state']);
    expect(listed).to.deep.equal(['/', '/b']);
    expect(
      isStorageError(await failure(tree.walk('/a', () => undefined)), 'PATH_NOT_FOUND'),
    ).to.equal(true);
  });

  it('reads nothing at the end of a file, and refuses past it or for a missing file', async () => {
    const chunks: unknown[] = [];
    for await (const chunk of await tree.emptyReader('/a', 3)) chunks.push(chunk);
    expect(chunks).to.deep.equal([]);
    expect(isStorageError(await failure(tree.emptyReader('/a', 4)), 'INVALID_OFFSET')).to.equal(
      true,
    );
    expect(isStorageError(await failure(tree.emptyReader('/nope', 0)), 'PATH_NOT_FOUND')).to.equal(
      true,
    );
  });
});
