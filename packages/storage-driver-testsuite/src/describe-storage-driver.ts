import {
  resolveOptions,
  type StorageDriverSuiteFactory,
  type StorageDriverSuiteOptions,
} from './options.js';
import { SuiteContext } from './context.js';
import { describeConcurrencyTests } from './tests/concurrency.js';
import { describeContentTests } from './tests/content.js';
import { describeDeleteTests } from './tests/delete.js';
import { describeListTests } from './tests/list.js';
import { describeMoveTests } from './tests/move.js';
import { describePathTests } from './tests/paths.js';
import { describeReaderTests } from './tests/reader.js';
import { describeRedirectTests } from './tests/redirect.js';
import { describeStatTests } from './tests/stat.js';
import { describeWalkTests } from './tests/walk.js';
import { describeWriterTests } from './tests/writer.js';

/**
 * Declares the whole conformance suite as mocha tests for the driver that
 * `factory` builds. Call it at the top level of a driver's test file:
 *
 * ```ts
 * describeStorageDriver('filesystem', () => createFilesystemDriver({ rootDirectory: tmp }));
 * ```
 *
 * Each test works in a directory of its own; after each test the suite
 * deletes it and checks that the root lists exactly as it did before the
 * suite began, so a driver that leaves files behind fails.
 */
export function describeStorageDriver(
  name: string,
  factory: StorageDriverSuiteFactory,
  options: StorageDriverSuiteOptions = {},
): void {
  const context = new SuiteContext(resolveOptions(options));
  describe(`storage driver conformance: ${name}`, function () {
    this.timeout(context.options.timeoutMs);

    before(async () => {
      await context.start(await factory());
    });
    after(async () => {
      if (context.started) await options.teardown?.(context.driver);
    });
    beforeEach(() => {
      context.beginTest();
    });
    afterEach(async () => {
      await context.endTest();
    });

    describePathTests(context);
    describeContentTests(context);
    describeReaderTests(context);
    describeWriterTests(context);
    describeStatTests(context);
    describeListTests(context);
    describeMoveTests(context);
    describeDeleteTests(context);
    describeWalkTests(context);
    describeRedirectTests(context);
    describeConcurrencyTests(context);
  });
}
