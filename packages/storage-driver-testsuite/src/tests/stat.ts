import { isStorageError } from '@lading/storage-driver';
import { expect } from 'chai';
import { expectStorageError, sleep } from '../assertions.js';
import type { SuiteContext } from '../context.js';

export function describeStatTests(context: SuiteContext): void {
  describe('stat', () => {
    it("reports a file's size, kind and modification time", async () => {
      const { driver, options } = context;
      const path = context.path('file');
      const before = Date.now();
      await driver.putContent(path, Buffer.from('twelve bytes'));
      const after = Date.now();
      const info = await driver.stat(path);
      expect(info.path).to.equal(path);
      expect(info.size).to.equal(12);
      expect(info.isDir).to.equal(false);
      expect(info.modTime).to.be.instanceOf(Date);
      const slack = options.clockSkewMs + options.modTimeResolutionMs;
      expect(info.modTime.getTime()).to.be.within(before - slack, after + slack);
    });

    it('reports a later modification time after a rewrite', async () => {
      const { driver, options } = context;
      const path = context.path('file');
      await driver.putContent(path, Buffer.from('first'));
      const first = (await driver.stat(path)).modTime.getTime();
      await sleep(options.modTimeResolutionMs + 100);
      await driver.putContent(path, Buffer.from('second'));
      const second = (await driver.stat(path)).modTime.getTime();
      expect(second).to.be.greaterThan(first);
    });

    it('reports directories with size 0', async () => {
      const { driver } = context;
      await driver.putContent(context.path('a', 'b', 'file'), Buffer.from('content'));
      for (const path of [context.dir, context.path('a'), context.path('a', 'b')]) {
        const info = await driver.stat(path);
        expect(info.path).to.equal(path);
        expect(info.isDir, path).to.equal(true);
        expect(info.size, path).to.equal(0);
      }
    });

    it('rejects missing paths with PathNotFoundError, even sharing a prefix', async () => {
      const { driver } = context;
      await driver.putContent(context.path('abc', 'file'), Buffer.from('x'));
      await driver.putContent(context.path('plain'), Buffer.from('x'));
      for (const path of [
        context.path('missing'),
        context.path('ab'),
        context.path('abc', 'fil'),
        context.path('plain', 'below'),
        context.path('pla'),
      ]) {
        await expectStorageError(driver, driver.stat(path), 'PATH_NOT_FOUND', path);
      }
    });

    it('answers for the root with a directory or PathNotFoundError', async () => {
      const { driver } = context;
      const outcome = await driver.stat('/').catch((error: unknown) => error);
      if (isStorageError(outcome)) {
        expect(outcome.code, outcome.message).to.equal('PATH_NOT_FOUND');
        expect(outcome.driverName).to.equal(driver.name);
      } else {
        expect(outcome).to.have.property('isDir', true);
      }
    });
  });
}
