import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createSwiftDriver } from '../src/index.js';
import { swiftTarget } from './support/swift-target.js';

const target = await swiftTarget();
const MiB = 1024 * 1024;

describeStorageDriver(
  `swift, 1 MiB segments, pages of 100, TempURLs (${target.description})`,
  () =>
    createSwiftDriver({
      ...target.driverOptions({ chunkSize: MiB, secretKey: 'lading-conformance-key' }),
      listingLimit: 100,
    }),
  { expectRedirects: true, readMayMissDuringOverwrite: true },
);

describeStorageDriver(
  `swift with the default segment size (${target.description})`,
  () => createSwiftDriver(target.driverOptions()),
  { largeContentSize: 96 * MiB, readMayMissDuringOverwrite: true },
);
