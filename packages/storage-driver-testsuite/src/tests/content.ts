import { expect } from 'chai';
import { expectStorageError, readBack, sizeLabel, writeAndCommit } from '../assertions.js';
import { patternBytes, patternDigest, patternStream, summarize } from '../content.js';
import type { SuiteContext } from '../context.js';

const MiB = 1024 * 1024;
/** Empty, one byte, a typical small file, and just past S3's 5 MiB part minimum. */
const sizes = [0, 1, 32 * 1024, 5 * MiB + 1];

export function describeContentTests(context: SuiteContext): void {
  describe('content', () => {
    for (const size of sizes) {
      it(`round-trips ${sizeLabel(size)} through putContent and getContent`, async () => {
        const { driver } = context;
        const path = context.path('file');
        const content = patternBytes(`put-${String(size)}`, 0, size);
        await driver.putContent(path, content);
        expect((await driver.getContent(path)).equals(content)).to.equal(true);
        expect((await driver.stat(path)).size).to.equal(size);
      });

      it(`round-trips ${sizeLabel(size)} through a writer and a reader`, async () => {
        const { driver } = context;
        const path = context.path('stream');
        const seed = `stream-${String(size)}`;
        const written = await writeAndCommit(driver, path, patternStream(seed, size, 256 * 1024));
        expect(written).to.equal(size);
        const read = await summarize(await driver.reader(path));
        expect(read).to.deep.equal({ size, sha256: patternDigest(seed, size) });
      });
    }

    it(`streams ${sizeLabel(context.options.largeContentSize)} through a writer, a reader and a move`, async () => {
      const { driver } = context;
      const size = context.options.largeContentSize;
      const [path, moved] = [context.path('large'), context.path('moved', 'large')];
      const expected = { size, sha256: patternDigest('large', size) };
      expect(await writeAndCommit(driver, path, patternStream('large', size))).to.equal(size);
      expect(await summarize(await driver.reader(path))).to.deep.equal(expected);
      const tail = Math.floor(size / 3);
      expect(await summarize(await driver.reader(path, tail))).to.deep.equal({
        size: size - tail,
        sha256: patternDigest('large', size - tail, tail),
      });
      await driver.move(path, moved);
      expect(await summarize(await driver.reader(moved))).to.deep.equal(expected);
      await expectStorageError(driver, driver.stat(path), 'PATH_NOT_FOUND', path);
    });

    it('round-trips bytes that are not UTF-8', async () => {
      const { driver } = context;
      const content = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
      await driver.putContent(context.path('binary'), content);
      expect((await driver.getContent(context.path('binary'))).equals(content)).to.equal(true);
      expect((await readBack(driver, context.path('binary'))).equals(content)).to.equal(true);
    });

    it('truncates on rewrite: a shorter putContent leaves no old tail', async () => {
      const { driver } = context;
      const path = context.path('rewritten');
      await driver.putContent(path, patternBytes('long', 0, 4096));
      await driver.putContent(path, Buffer.from('short'));
      expect((await driver.getContent(path)).toString()).to.equal('short');
      expect((await readBack(driver, path)).toString()).to.equal('short');
      expect((await driver.stat(path)).size).to.equal(5);
    });

    it('rejects getContent of a missing path with PathNotFoundError', async () => {
      const { driver } = context;
      const path = context.path('missing');
      await expectStorageError(driver, driver.getContent(path), 'PATH_NOT_FOUND', path);
    });

    it('rejects getContent of a directory with PathNotFoundError', async () => {
      const { driver } = context;
      await driver.putContent(context.path('directory', 'file'), Buffer.from('x'));
      const directory = context.path('directory');
      await expectStorageError(driver, driver.getContent(directory), 'PATH_NOT_FOUND', directory);
    });
  });
}
