import { expect } from 'chai';
import { expectStorageError, putFiles } from '../assertions.js';
import type { SuiteContext } from '../context.js';

export function describeDeleteTests(context: SuiteContext): void {
  describe('delete', () => {
    it('deletes a file', async () => {
      const { driver } = context;
      const [path, sibling] = [context.path('file'), context.path('sibling')];
      await putFiles(driver, { [path]: 'x', [sibling]: 'y' });
      await driver.delete(path);
      await expectStorageError(driver, driver.stat(path), 'PATH_NOT_FOUND', path);
      await expectStorageError(driver, driver.getContent(path), 'PATH_NOT_FOUND', path);
      expect((await driver.getContent(sibling)).toString()).to.equal('y');
      await context.eventually(async () => {
        expect(await driver.list(context.dir)).to.deep.equal([sibling]);
      });
    });

    it('deletes a directory recursively', async () => {
      const { driver } = context;
      const p = (...names: string[]) => context.path(...names);
      await putFiles(driver, {
        [p('d', 'f1')]: '1',
        [p('d', 'sub', 'f2')]: '2',
        [p('d', 'sub', 'deeper', 'f3')]: '3',
        [p('kept')]: 'k',
      });
      await driver.delete(p('d'));
      for (const path of [p('d'), p('d', 'f1'), p('d', 'sub'), p('d', 'sub', 'deeper', 'f3')]) {
        await expectStorageError(driver, driver.stat(path), 'PATH_NOT_FOUND', path);
      }
      await context.eventually(async () => {
        expect(await driver.list(context.dir)).to.deep.equal([p('kept')]);
      });
    });

    it('does not touch paths that share a prefix', async () => {
      const { driver } = context;
      const p = (...names: string[]) => context.path(...names);
      await putFiles(driver, {
        [p('a', 'f')]: 'a',
        [p('ab', 'f')]: 'ab',
        [p('a-b')]: 'a-b',
        [p('a.b', 'f')]: 'a.b',
        [p('aa')]: 'aa',
      });
      await driver.delete(p('a'));
      for (const path of [p('ab', 'f'), p('a-b'), p('a.b', 'f'), p('aa')]) {
        expect((await driver.getContent(path)).length, path).to.be.greaterThan(0);
      }
      await context.eventually(async () => {
        expect(await driver.list(context.dir)).to.deep.equal([
          p('a-b'),
          p('a.b'),
          p('aa'),
          p('ab'),
        ]);
      });
    });

    it('rejects a missing path with PathNotFoundError', async () => {
      const { driver } = context;
      await driver.putContent(context.path('file'), Buffer.from('x'));
      for (const path of [
        context.path('missing'),
        context.path('fil'),
        context.path('file', 'below'),
      ]) {
        await expectStorageError(driver, driver.delete(path), 'PATH_NOT_FOUND', path);
      }
      expect((await driver.getContent(context.path('file'))).toString()).to.equal('x');
    });

    it('discards uncommitted writes below the deleted path', async () => {
      const { driver } = context;
      const directory = context.path('upload');
      await driver.putContent(`${directory}/startedat`, Buffer.from('2026-01-01T00:00:00Z'));
      const writer = await driver.writer(`${directory}/data`);
      await writer.write(Buffer.from('half an upload'));
      await writer.close();
      await driver.delete(directory);
      await expectStorageError(driver, driver.writer(`${directory}/data`, true), 'PATH_NOT_FOUND');
      await expectStorageError(driver, driver.stat(directory), 'PATH_NOT_FOUND', directory);
    });
  });
}
