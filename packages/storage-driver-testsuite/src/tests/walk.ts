import type { FileInfo, WalkDecision } from '@lading/storage-driver';
import { expect } from 'chai';
import { expectStorageError, putFiles } from '../assertions.js';
import type { SuiteContext } from '../context.js';

async function seedTree(context: SuiteContext): Promise<void> {
  const p = (...names: string[]) => context.path(...names);
  await putFiles(context.driver, {
    [p('a', 'b', 'c')]: 'ccc',
    [p('a', 'b-c')]: 'x',
    [p('a', 'd', 'e')]: 'ee',
    [p('a-b')]: 'yy',
    [p('z', 'y')]: 'y',
  });
}

/** Entries relative to the test directory: `a/`, `a/b-c:1`. */
function describeEntry(context: SuiteContext, info: FileInfo): string {
  const relative = info.path.slice(context.dir.length + 1);
  return info.isDir ? `${relative}/` : `${relative}:${String(info.size)}`;
}

/** Walks the seeded tree, describing each entry; `decide` answers the visitor's decision. */
async function walkSeeded(
  context: SuiteContext,
  decide: (info: FileInfo) => WalkDecision | undefined | Promise<WalkDecision | undefined> = () =>
    undefined,
): Promise<string[]> {
  const seen: string[] = [];
  await context.driver.walk(context.dir, (info) => {
    seen.push(describeEntry(context, info));
    return decide(info);
  });
  return seen;
}

export function describeWalkTests(context: SuiteContext): void {
  describe('walk', () => {
    it('visits depth-first, directories before contents, siblings sorted', async () => {
      await seedTree(context);
      await context.eventually(async () => {
        expect(await walkSeeded(context)).to.deep.equal([
          'a/',
          'a/b/',
          'a/b/c:3',
          'a/b-c:1',
          'a/d/',
          'a/d/e:2',
          'a-b:2',
          'z/',
          'z/y:1',
        ]);
      });
    });

    it('skips a directory when the visitor says skip', async () => {
      await seedTree(context);
      await context.eventually(async () => {
        const seen = await walkSeeded(context, (info) =>
          info.isDir && info.path.endsWith('/b') ? 'skip' : undefined,
        );
        expect(seen).to.deep.equal([
          'a/',
          'a/b/',
          'a/b-c:1',
          'a/d/',
          'a/d/e:2',
          'a-b:2',
          'z/',
          'z/y:1',
        ]);
      });
    });

    it('stops when the visitor says stop', async () => {
      await seedTree(context);
      await context.eventually(async () => {
        const seen = await walkSeeded(context, async (info) => {
          await new Promise((resolve) => setImmediate(resolve));
          return info.path.endsWith('/b-c') ? 'stop' : undefined;
        });
        expect(seen).to.deep.equal(['a/', 'a/b/', 'a/b/c:3', 'a/b-c:1']);
      });
    });

    it('rejects a missing directory or a file with PathNotFoundError', async () => {
      const { driver } = context;
      await driver.putContent(context.path('file'), Buffer.from('x'));
      for (const path of [context.path('missing'), context.path('file')]) {
        await expectStorageError(
          driver,
          driver.walk(path, () => undefined),
          'PATH_NOT_FOUND',
          path,
        );
      }
    });

    it('walks the root', async () => {
      const { driver } = context;
      await driver.putContent(context.path('deep', 'file'), Buffer.from('x'));
      await context.eventually(async () => {
        const seen: string[] = [];
        await driver.walk('/', (info) => {
          const ours = info.path === context.dir || info.path.startsWith(`${context.dir}/`);
          if (ours) seen.push(info.path);
          return info.isDir && !ours ? 'skip' : undefined;
        });
        expect(seen).to.deep.equal([
          context.dir,
          context.path('deep'),
          context.path('deep', 'file'),
        ]);
      });
    });
  });
}
