import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createSwiftDriver } from '../src/index.js';
import { swiftTarget } from './support/swift-target.js';

const target = await swiftTarget();
const MiB = 1024 * 1024;

// A TempURL key is set on the local all-in-one only: on a real cluster it would take one of
// the account's two key slots.
const local = target.local !== undefined;

describeStorageDriver(
  `swift, 1 MiB segments, pages of 100${local ? ', TempURLs' : ''} (${target.description})`,
  () =>
    createSwiftDriver({
      ...target.driverOptions({
        chunkSize: MiB,
        ...(local ? { secretKey: 'lading-conformance-key' } : {}),
      }),
      listingLimit: 100,
    }),
  { expectRedirects: local, readMayMissDuringOverwrite: true },
);

describeStorageDriver(
  `swift with the default segment size (${target.description})`,
  () => createSwiftDriver(target.driverOptions()),
  { largeContentSize: 96 * MiB, readMayMissDuringOverwrite: true },
);
