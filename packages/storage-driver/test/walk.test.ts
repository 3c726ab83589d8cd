import { expect } from 'chai';
import {
  PathNotFoundError,
  StorageDriverError,
  walkByListing,
  walkFallback,
  type FileInfo,
} from '../src/index.js';

/** A tree as nested objects: a string value is a file's content. */
interface Tree {
  [name: string]: Tree | string;
}

function listable(tree: Tree, vanishing = new Set<string>()) {
  function find(path: string): Tree | string | undefined {
    if (path === '/') return tree;
    let node: Tree | string | undefined = tree;
    for (const part of path.slice(1).split('/')) {
      if (typeof node !== 'object') return undefined;
      node = node[part];
    }
    return node;
  }
  return {
    list(path: string): Promise<string[]> {
      const node = find(path);
      if (typeof node !== 'object' || vanishing.has(`list ${path}`)) {
        return Promise.reject(new PathNotFoundError(path));
      }
      // Deliberately unsorted: the walk must sort.
      return Promise.resolve(
        Object.keys(node)
          .reverse()
          .map((name) => `${path === '/' ? '' : path}/${name}`),
      );
    },
    stat(path: string): Promise<FileInfo> {
      const node = find(path);
      if (node === undefined || vanishing.has(`stat ${path}`)) {
        return Promise.reject(new PathNotFoundError(path));
      }
      const isDir = typeof node === 'object';
      return Promise.resolve({ path, isDir, size: isDir ? 0 : node.length, modTime: new Date() });
    },
  };
}

const tree: Tree = {
  a: { b: { c: 'ccc' }, 'b-c': 'x', d: {} },
  'a-b': 'yy',
  z: { y: 'y' },
};

describe('walkFallback', () => {
  it('visits depth-first, directories before contents, siblings sorted', async () => {
    const seen: string[] = [];
    await walkFallback(listable(tree), '/', (info) => {
      seen.push(`${info.path}${info.isDir ? '/' : `:${info.size}`}`);
    });
    expect(seen).to.deep.equal([
      '/a/',
      '/a/b/',
      '/a/b/c:3',
      '/a/b-c:1',
      '/a/d/',
      '/a-b:2',
      '/z/',
      '/z/y:1',
    ]);
  });

  it('does not descend into a skipped directory', async () => {
    const seen: string[] = [];
    await walkFallback(listable(tree), '/a', (info) => {
      seen.push(info.path);
      return info.path === '/a/b' ? 'skip' : undefined;
    });
    expect(seen).to.deep.equal(['/a/b', '/a/b-c', '/a/d']);
  });

  it('stops at once when asked, without error', async () => {
    const seen: string[] = [];
    await walkFallback(listable(tree), '/', async (info) => {
      seen.push(info.path);
      await Promise.resolve();
      return info.path === '/a/b/c' ? 'stop' : undefined;
    });
    expect(seen).to.deep.equal(['/a', '/a/b', '/a/b/c']);
  });

  it('throws PathNotFoundError for a missing start or a file', async () => {
    for (const start of ['/missing', '/a-b']) {
      try {
        await walkFallback(listable(tree), start, () => undefined);
        expect.fail('walk should fail');
      } catch (error) {
        expect(error).to.be.instanceOf(PathNotFoundError);
      }
    }
  });

  it('passes over entries that vanish while it runs', async () => {
    const seen: string[] = [];
    const vanishing = new Set(['stat /a-b', 'list /a/b']);
    await walkFallback(listable(tree, vanishing), '/', (info) => {
      seen.push(info.path);
    });
    expect(seen).to.deep.equal(['/a', '/a/b', '/a/b-c', '/a/d', '/z', '/z/y']);
  });

  it('lets other errors through', async () => {
    const broken = {
      list: () => Promise.resolve(['/x']),
      stat: () => Promise.reject(new StorageDriverError('backend down')),
    };
    try {
      await walkFallback(broken, '/', () => undefined);
      expect.fail('walk should fail');
    } catch (error) {
      expect((error as Error).message).to.equal('backend down');
    }
    const brokenList = {
      list: (path: string) =>
        path === '/' ? Promise.resolve(['/d']) : Promise.reject(new Error('timeout')),
      stat: (path: string) => Promise.resolve({ path, isDir: true, size: 0, modTime: new Date() }),
    };
    try {
      await walkFallback(brokenList, '/', () => undefined);
      expect.fail('walk should fail');
    } catch (error) {
      expect((error as Error).message).to.equal('timeout');
    }
  });
});

describe('walkByListing', () => {
  /** Sorted entries with sizes, as an object store's listing gives them. */
  function entriesOf(root: Tree) {
    const source = listable(root);
    const listed: string[] = [];
    const entries = async (directory: string): Promise<FileInfo[]> => {
      listed.push(directory);
      const children = await source.list(directory).catch(() => []);
      return Promise.all(children.sort().map((child) => source.stat(child)));
    };
    return { entries, listed };
  }

  it('visits depth-first from the listings alone, and skips and stops as asked', async () => {
    const { entries, listed } = entriesOf(tree);
    const seen: string[] = [];
    await walkByListing('/', entries, (info) => {
      seen.push(`${info.path}${info.isDir ? '/' : ` ${String(info.size)}`}`);
      return info.path === '/a/b' ? 'skip' : undefined;
    });
    expect(seen).to.deep.equal(['/a/', '/a/b/', '/a/b-c 1', '/a/d/', '/a-b 2', '/z/', '/z/y 1']);
    expect(listed, 'one listing per directory walked').to.deep.equal(['/', '/a', '/a/d', '/z']);
    const stopped: string[] = [];
    await walkByListing('/', entries, (info) => {
      stopped.push(info.path);
      return info.path === '/a/b-c' ? 'stop' : undefined;
    });
    expect(stopped).to.deep.equal(['/a', '/a/b', '/a/b/c', '/a/b-c']);
  });
});
