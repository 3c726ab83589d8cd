import type { StorageDriver } from '@lading/storage-driver';

const MiB = 1024 * 1024;

/** Builds the driver under test; called once before the suite runs. */
export type StorageDriverSuiteFactory = () => StorageDriver | Promise<StorageDriver>;

/** What a driver declares about itself, so that no driver forks the tests. */
export interface StorageDriverSuiteOptions {
  /** Runs after the suite, with the driver (stop an emulator, remove a temp dir). */
  teardown?: (driver: StorageDriver) => void | Promise<void>;
  /** The driver must hand out redirect URLs (a cloud driver with redirects on). Default false. */
  expectRedirects?: boolean;
  /** Size of the large streamed content. Default 64 MiB. */
  largeContentSize?: number;
  /** Entries in the listing test, past one page of most object stores. Default 1100. */
  manyEntries?: number;
  /** Writers in the concurrent-writers test. Default 32. */
  concurrentWriters?: number;
  /** Granularity of modification times; the rewrite test waits a little longer. Default 1000 ms. */
  modTimeResolutionMs?: number;
  /** How far the store's clock may be from this machine's. Default 5 minutes. */
  clockSkewMs?: number;
  /** How long listings may take to show a change (eventually consistent stores). Default 0. */
  listingSettleMs?: number;
  /**
   * The store itself (not the driver) may answer a read that races an overwrite with
   * not-found, as OpenStack Swift's object server can. Such a read is then tried again
   * instead of failing the test; a mix of versions still fails it. Default false.
   */
  readMayMissDuringOverwrite?: boolean;
  /** Mocha timeout for each test. Default 120 s. */
  timeoutMs?: number;
}

export type ResolvedSuiteOptions = Required<Omit<StorageDriverSuiteOptions, 'teardown'>> &
  Pick<StorageDriverSuiteOptions, 'teardown'>;

export function resolveOptions(options: StorageDriverSuiteOptions): ResolvedSuiteOptions {
  return {
    expectRedirects: false,
    largeContentSize: 64 * MiB,
    manyEntries: 1100,
    concurrentWriters: 32,
    modTimeResolutionMs: 1000,
    clockSkewMs: 5 * 60 * 1000,
    listingSettleMs: 0,
    readMayMissDuringOverwrite: false,
    timeoutMs: 120_000,
    ...options,
  };
}
