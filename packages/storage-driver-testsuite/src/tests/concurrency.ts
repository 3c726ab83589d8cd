import { expect } from 'chai';
import { Readable } from 'node:stream';
import { isStorageError } from '@lading/storage-driver';
import { writeAndCommit } from '../assertions.js';
import { patternBytes, patternDigest, patternStream, summarize } from '../content.js';
import type { SuiteContext } from '../context.js';

export function describeConcurrencyTests(context: SuiteContext): void {
  describe('concurrency', () => {
    it('writes many files at once to distinct paths, each intact', async () => {
      const { driver, options } = context;
      const count = options.concurrentWriters;
      const size = 1024 * 1024 + 17;
      const paths = Array.from({ length: count }, (_, index) => context.path('w', String(index)));
      await Promise.all(
        paths.map((path, index) =>
          writeAndCommit(driver, path, patternStream(`w${String(index)}`, size, 64 * 1024)),
        ),
      );
      const summaries = await Promise.all(
        paths.map(async (path) => summarize(await driver.reader(path))),
      );
      summaries.forEach((summary, index) => {
        expect(summary, paths[index]).to.deep.equal({
          size,
          sha256: patternDigest(`w${String(index)}`, size),
        });
      });
    });

    it('never shows a concurrent reader partial putContent', async () => {
      const { driver, options } = context;
      const path = context.path('contended');
      /** The read's result, or undefined for a not-found the store may give (see the option). */
      const tolerateStoreMiss = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await read();
        } catch (error) {
          if (options.readMayMissDuringOverwrite && isStorageError(error, 'PATH_NOT_FOUND')) {
            return undefined;
          }
          throw error;
        }
      };
      const versions = [3 * 1024 * 1024, 1024 * 1024 + 5].map((size, index) => {
        const seed = `v${String(index)}`;
        const content = patternBytes(seed, 0, size);
        return { content, summary: { size, sha256: patternDigest(seed, size) } };
      });
      const summaries = versions.map((version) => version.summary);
      await driver.putContent(path, patternBytes('v0', 0, 3 * 1024 * 1024));
      let writing = true;
      const writes = (async () => {
        for (const round of Array.from({ length: 24 }, (_, index) => index)) {
          const version = versions[round % versions.length];
          if (version !== undefined) await driver.putContent(path, version.content);
        }
        writing = false;
      })();
      let reads = 0;
      const readers = Array.from({ length: 2 }, async () => {
        while (writing) {
          const content = await tolerateStoreMiss(() => driver.getContent(path));
          if (content !== undefined) {
            const whole = await summarize(Readable.from([content]));
            expect(summaries, 'getContent saw a mix').to.deep.include(whole);
          }
          const stream = await tolerateStoreMiss(() => driver.reader(path));
          if (stream !== undefined) {
            const streamed = await summarize(stream);
            expect(summaries, 'reader saw a mix').to.deep.include(streamed);
          }
          reads += 1;
        }
      });
      await Promise.all([writes, ...readers]);
      expect(reads).to.be.greaterThan(0);
    });
  });
}
