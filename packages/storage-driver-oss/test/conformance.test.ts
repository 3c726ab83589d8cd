import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createOssDriver } from '../src/index.js';
import { ossTarget } from './support/oss-target.js';

const target = await ossTarget();
const MiB = 1024 * 1024;

describeStorageDriver(
  `oss, 5 MiB parts (${target.description})`,
  () => createOssDriver(target.driverOptions({ chunkSize: 5 * MiB })),
  { expectRedirects: true },
);

describeStorageDriver(
  `oss with the default part size, encrypted (${target.description})`,
  () => createOssDriver(target.driverOptions({ encrypt: true })),
  { expectRedirects: true, largeContentSize: 96 * MiB },
);
