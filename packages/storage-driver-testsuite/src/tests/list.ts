import { expect } from 'chai';
import { expectStorageError, putFiles } from '../assertions.js';
import type { SuiteContext } from '../context.js';

export function describeListTests(context: SuiteContext): void {
  describe('list', () => {
    it('lists direct children only, files and directories, sorted', async () => {
      const { driver } = context;
      const p = (...names: string[]) => context.path(...names);
      await putFiles(driver, {
        [p('b')]: 'b',
        [p('a', 'x')]: 'x',
        [p('a', 'deeper', 'y')]: 'y',
        [p('c', 'z')]: 'z',
        [p('A')]: 'upper',
        [p('a-b')]: 'prefix',
        [p('a.b', 'w')]: 'w',
      });
      await context.eventually(async () => {
        expect(await driver.list(context.dir)).to.deep.equal([
          p('A'),
          p('a'),
          p('a-b'),
          p('a.b'),
          p('b'),
          p('c'),
        ]);
        expect(await driver.list(p('a'))).to.deep.equal([p('a', 'deeper'), p('a', 'x')]);
        expect(await driver.list(p('a', 'deeper'))).to.deep.equal([p('a', 'deeper', 'y')]);
      });
    });

    it('tells apart names that share a prefix', async () => {
      const { driver } = context;
      const p = (...names: string[]) => context.path(...names);
      await putFiles(driver, { [p('ab', 'f')]: '1', [p('abc', 'g')]: '2', [p('a', 'h')]: '3' });
      await context.eventually(async () => {
        expect(await driver.list(p('a'))).to.deep.equal([p('a', 'h')]);
        expect(await driver.list(p('ab'))).to.deep.equal([p('ab', 'f')]);
      });
      await expectStorageError(driver, driver.list(p('abcd')), 'PATH_NOT_FOUND', p('abcd'));
    });

    it('lists the root', async () => {
      const { driver } = context;
      await driver.putContent(context.path('file'), Buffer.from('x'));
      await context.eventually(async () => {
        expect(await driver.list('/')).to.include(context.dir);
      });
    });

    it('rejects a missing directory with PathNotFoundError', async () => {
      const { driver } = context;
      const path = context.path('missing');
      await expectStorageError(driver, driver.list(path), 'PATH_NOT_FOUND', path);
    });

    it('rejects a file with PathNotFoundError', async () => {
      const { driver } = context;
      const path = context.path('file');
      await driver.putContent(path, Buffer.from('x'));
      await expectStorageError(driver, driver.list(path), 'PATH_NOT_FOUND', path);
    });

    it('does not list uncommitted writes', async () => {
      const { driver } = context;
      await driver.putContent(context.path('committed'), Buffer.from('x'));
      const writer = await driver.writer(context.path('uncommitted'));
      await writer.write(Buffer.from('pending'));
      await writer.close();
      const hidden = await driver.writer(context.path('sub', 'uncommitted'));
      await hidden.write(Buffer.from('pending'));
      await hidden.close();
      const listed = await driver.list(context.dir);
      expect(listed).to.include(context.path('committed'));
      expect(listed).not.to.include(context.path('uncommitted'));
      const leftovers = listed.filter(
        (path) => path !== context.path('committed') && path !== context.path('sub'),
      );
      expect(leftovers, 'bookkeeping files must not be listed').to.deep.equal([]);
      await (await driver.writer(context.path('uncommitted'), true)).cancel();
      await (await driver.writer(context.path('sub', 'uncommitted'), true)).cancel();
    });

    it('lists and deletes a directory of many entries', async () => {
      const { driver, options } = context;
      const count = options.manyEntries;
      const names = Array.from(
        { length: count },
        (_, index) => `entry-${String(index).padStart(5, '0')}`,
      );
      const directory = context.path('many');
      for (let start = 0; start < count; start += 50) {
        await Promise.all(
          names
            .slice(start, start + 50)
            .map((name) => driver.putContent(`${directory}/${name}`, Buffer.from(name))),
        );
      }
      await context.eventually(async () => {
        expect(await driver.list(directory)).to.deep.equal(
          names.map((name) => `${directory}/${name}`),
        );
      });
      await driver.delete(directory);
      await context.eventually(async () => {
        await expectStorageError(driver, driver.list(directory), 'PATH_NOT_FOUND', directory);
      });
      const last = `${directory}/${names[count - 1] ?? ''}`;
      await expectStorageError(driver, driver.stat(last), 'PATH_NOT_FOUND', last);
    });
  });
}
