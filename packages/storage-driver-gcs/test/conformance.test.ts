import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createGcsDriver } from '../src/index.js';
import { gcsTarget } from './support/gcs-target.js';

const target = await gcsTarget();
const KiB = 1024;
const MiB = 1024 * KiB;

describeStorageDriver(
  `gcs, 256 KiB chunks (${target.description})`,
  () => createGcsDriver(target.driverOptions({ chunkSize: 256 * KiB })),
  { expectRedirects: true },
);

describeStorageDriver(
  `gcs with the default chunk size (${target.description})`,
  () => createGcsDriver(target.driverOptions()),
  { expectRedirects: true, largeContentSize: 96 * MiB },
);
