import { expect } from 'chai';
import { expectStorageError } from '../assertions.js';
import { patternBytes } from '../content.js';
import type { SuiteContext } from '../context.js';

export function describeMoveTests(context: SuiteContext): void {
  describe('move', () => {
    it('moves a file to a new path, creating parents', async () => {
      const { driver } = context;
      const [source, destination] = [context.path('source'), context.path('new', 'parent', 'dest')];
      const content = patternBytes('move', 0, 40_000);
      await driver.putContent(source, content);
      await driver.move(source, destination);
      expect((await driver.getContent(destination)).equals(content)).to.equal(true);
      await expectStorageError(driver, driver.stat(source), 'PATH_NOT_FOUND', source);
      await expectStorageError(driver, driver.getContent(source), 'PATH_NOT_FOUND', source);
    });

    it('replaces an existing destination', async () => {
      const { driver } = context;
      const [source, destination] = [context.path('source'), context.path('dest')];
      await driver.putContent(source, Buffer.from('new'));
      await driver.putContent(destination, patternBytes('old', 0, 10_000));
      await driver.move(source, destination);
      expect((await driver.getContent(destination)).toString()).to.equal('new');
      expect((await driver.stat(destination)).size).to.equal(3);
      await expectStorageError(driver, driver.stat(source), 'PATH_NOT_FOUND', source);
    });

    it('rejects a missing source with PathNotFoundError, leaving the destination untouched', async () => {
      const { driver } = context;
      const [source, destination] = [context.path('missing'), context.path('dest')];
      await driver.putContent(destination, Buffer.from('untouched'));
      await expectStorageError(driver, driver.move(source, destination), 'PATH_NOT_FOUND', source);
      expect((await driver.getContent(destination)).toString()).to.equal('untouched');
      const fresh = context.path('fresh');
      await expectStorageError(driver, driver.move(source, fresh), 'PATH_NOT_FOUND', source);
      await expectStorageError(driver, driver.stat(fresh), 'PATH_NOT_FOUND', fresh);
    });
  });
}
