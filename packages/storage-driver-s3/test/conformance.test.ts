import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createS3Driver } from '../src/index.js';
import { s3Target } from './support/s3-target.js';

const target = await s3Target();
const MiB = 1024 * 1024;

describeStorageDriver(
  `s3 (${target.description})`,
  () => createS3Driver(target.driverOptions({ chunkSize: 5 * MiB })),
  { expectRedirects: true, readMayMissDuringOverwrite: target.readMayMissDuringOverwrite },
);

describeStorageDriver(
  `s3 with default part sizes (${target.description})`,
  () => createS3Driver(target.driverOptions()),
  {
    expectRedirects: true,
    largeContentSize: 96 * MiB,
    readMayMissDuringOverwrite: target.readMayMissDuringOverwrite,
  },
);
