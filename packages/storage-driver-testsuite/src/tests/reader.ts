import { expect } from 'chai';
import { expectStorageError, readBack, writeAndCommit } from '../assertions.js';
import { collect, patternBytes, patternStream } from '../content.js';
import type { SuiteContext } from '../context.js';

const size = 256 * 1024 + 7;

export function describeReaderTests(context: SuiteContext): void {
  describe('reader', () => {
    let path: string;
    beforeEach(async () => {
      path = context.path('file');
      await context.driver.putContent(path, patternBytes('reader', 0, size));
    });

    it('reads from the start, the middle and the last byte', async () => {
      const { driver } = context;
      for (const offset of [0, 1, 65_536, Math.floor(size / 2), size - 1]) {
        const read = await readBack(driver, path, offset);
        expect(
          read.equals(patternBytes('reader', offset, size - offset)),
          `offset ${String(offset)}`,
        ).to.equal(true);
      }
    });

    it('gives an empty stream at offset === size', async () => {
      expect(await readBack(context.driver, path, size)).to.have.length(0);
    });

    it('rejects an offset past the end with InvalidOffsetError', async () => {
      const { driver } = context;
      await expectStorageError(driver, driver.reader(path, size + 1), 'INVALID_OFFSET', path);
      await expectStorageError(driver, driver.reader(path, size * 2), 'INVALID_OFFSET', path);
    });

    it('rejects a negative or fractional offset with InvalidOffsetError', async () => {
      const { driver } = context;
      await expectStorageError(driver, driver.reader(path, -1), 'INVALID_OFFSET', path);
      await expectStorageError(driver, driver.reader(path, 0.5), 'INVALID_OFFSET', path);
      await expectStorageError(driver, driver.reader(path, 0, -1), 'INVALID_OFFSET', path);
    });

    it('reads at most length bytes, clamped to the end', async () => {
      const { driver } = context;
      const middle = await readBack(driver, path, 1000, 5000);
      expect(middle.equals(patternBytes('reader', 1000, 5000))).to.equal(true);
      const clamped = await readBack(driver, path, size - 10, 1000);
      expect(clamped.equals(patternBytes('reader', size - 10, 10))).to.equal(true);
      expect(await readBack(driver, path, 10, 0)).to.have.length(0);
      expect(await readBack(driver, path, size, 5)).to.have.length(0);
    });

    it('rejects a missing file with PathNotFoundError before streaming', async () => {
      const { driver } = context;
      const missing = context.path('missing');
      await expectStorageError(driver, driver.reader(missing), 'PATH_NOT_FOUND', missing);
      await expectStorageError(driver, driver.reader(missing, 10), 'PATH_NOT_FOUND', missing);
      const directory = context.dir;
      await expectStorageError(driver, driver.reader(directory), 'PATH_NOT_FOUND', directory);
    });

    it('can be destroyed after the first chunk', async () => {
      const { driver } = context;
      const large = context.path('large');
      await writeAndCommit(driver, large, patternStream('early', 8 * 1024 * 1024));
      const stream = await driver.reader(large);
      const first = await new Promise<Buffer>((resolve, reject) => {
        stream.once('data', resolve).once('error', reject);
      });
      stream.destroy();
      expect(first.equals(patternBytes('early', 0, first.length))).to.equal(true);
      expect((await driver.stat(large)).size).to.equal(8 * 1024 * 1024);
    });

    it('serves concurrent readers at random offsets', async () => {
      const { driver } = context;
      const ranges = Array.from({ length: 16 }, (_, index) => {
        const offset = Math.floor((((index * 7919) % 997) / 997) * (size - 4096));
        return { offset, length: 1 + ((index * 131) % 4096) };
      });
      const reads = await Promise.all(
        ranges.map(async ({ offset, length }) =>
          collect(await driver.reader(path, offset, length)),
        ),
      );
      ranges.forEach(({ offset, length }, index) => {
        const read = reads[index];
        expect(
          read?.equals(patternBytes('reader', offset, length)),
          `range ${String(offset)}+${String(length)}`,
        ).to.equal(true);
      });
    });
  });
}
