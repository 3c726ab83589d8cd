import { randomBytes } from 'node:crypto';
import { isStorageError, type StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import type { ResolvedSuiteOptions } from './options.js';

/**
 * State shared by the suite's tests: the driver, and a fresh directory for
 * each test so that tests never see each other's files and the suite can
 * check, after each one, that the driver left nothing behind.
 */
export class SuiteContext {
  #driver: StorageDriver | undefined;
  #testDirectory: string | undefined;
  #baseline: string[] = [];
  #counter = 0;
  readonly #runId = randomBytes(4).toString('hex');

  constructor(readonly options: ResolvedSuiteOptions) {}

  /** True once the factory has built the driver. */
  get started(): boolean {
    return this.#driver !== undefined;
  }

  get driver(): StorageDriver {
    if (this.#driver === undefined) throw new Error('the driver factory has not run yet');
    return this.#driver;
  }

  /** The current test's own directory (not created until something is written below it). */
  get dir(): string {
    if (this.#testDirectory === undefined) throw new Error('no test is running');
    return this.#testDirectory;
  }

  /** A path below the current test's directory. */
  path(...names: string[]): string {
    return [this.dir, ...names].join('/');
  }

  async start(driver: StorageDriver): Promise<void> {
    this.#driver = driver;
    this.#baseline = await driver.list('/');
  }

  beginTest(): void {
    this.#counter += 1;
    this.#testDirectory = `/conformance-${this.#runId}-${String(this.#counter)}`;
  }

  /** Removes the test's directory, then checks the root is as the suite found it. */
  async endTest(): Promise<void> {
    const directory = this.dir;
    this.#testDirectory = undefined;
    try {
      await this.driver.delete(directory);
    } catch (error) {
      if (!isStorageError(error, 'PATH_NOT_FOUND')) throw error;
    }
    await this.eventually(async () => {
      expect(await this.driver.list('/'), 'the root after the test').to.deep.equal(this.#baseline);
    });
  }

  /**
   * Runs a listing assertion until it passes or `listingSettleMs` has passed,
   * for stores whose listings lag behind writes.
   */
  async eventually(assertion: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + this.options.listingSettleMs;
    for (;;) {
      try {
        await assertion();
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}
