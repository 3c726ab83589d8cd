import type { StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import { expectStorageError } from '../assertions.js';
import type { SuiteContext } from '../context.js';

type Call = (driver: StorageDriver, path: string, valid: string) => Promise<unknown>;

/** Every method, called with a bad path (and a good one where it takes two). */
const calls: Record<string, Call> = {
  getContent: (d, path) => d.getContent(path),
  putContent: (d, path) => d.putContent(path, Buffer.from('x')),
  reader: (d, path) => d.reader(path),
  writer: (d, path) => d.writer(path),
  'writer (append)': (d, path) => d.writer(path, true),
  stat: (d, path) => d.stat(path),
  list: (d, path) => d.list(path),
  'move (source)': (d, path, valid) => d.move(path, valid),
  'move (destination)': (d, path, valid) => d.move(valid, path),
  delete: (d, path) => d.delete(path),
  redirectURL: (d, path) => d.redirectURL('GET', path),
  walk: (d, path) => d.walk(path, () => undefined),
};

/** Methods for which the root `/` is a valid argument. */
const rootAllowed = new Set(['stat', 'list', 'walk']);

export function describePathTests(context: SuiteContext): void {
  describe('paths', () => {
    it('accepts every valid path form', async () => {
      const { driver } = context;
      const names = [
        'a',
        'a.a',
        '.abc',
        'a--b',
        'Abc/Cba',
        'a_b/c-d/e.f',
        '...',
        '0',
        'x'.repeat(200),
      ];
      for (const name of names) {
        const path = context.path(name);
        await driver.putContent(path, Buffer.from(name));
        expect((await driver.getContent(path)).toString(), path).to.equal(name);
        expect((await driver.stat(path)).size, path).to.equal(name.length);
        await driver.delete(path);
      }
    });

    it('rejects invalid paths in every method before touching storage', async () => {
      const { driver } = context;
      const valid = context.path('valid');
      await driver.putContent(valid, Buffer.from('keep'));
      const invalid = [
        '',
        'relative/path',
        '/',
        `${context.dir}/`,
        `${context.dir}//double`,
        `${context.dir}/a/../escape`,
        `${context.dir}/./dot`,
        `${context.dir}/..`,
        `${context.dir}/with space`,
        `${context.dir}/tilde~name`,
        `${context.dir}/colon:name`,
        `${context.dir}/back\\slash`,
        `${context.dir}/ümlaut`,
      ];
      for (const [method, call] of Object.entries(calls)) {
        for (const path of invalid) {
          if (path === '/' && rootAllowed.has(method)) continue;
          await expectStorageError(driver, call(driver, path, valid), 'INVALID_PATH').catch(
            (error: unknown) => {
              throw new Error(`${method}(${JSON.stringify(path)}): ${String(error)}`);
            },
          );
        }
      }
      expect(await driver.list(context.dir)).to.deep.equal([valid]);
      expect((await driver.getContent(valid)).toString()).to.equal('keep');
    });
  });
}
