import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createAzureDriver } from '../src/index.js';
import { azureTarget } from './support/azure-target.js';

const target = await azureTarget();
const MiB = 1024 * 1024;

describeStorageDriver(
  `azure (${target.description})`,
  () => createAzureDriver(target.driverOptions({ blockSize: MiB })),
  { expectRedirects: true },
);

describeStorageDriver(
  `azure with the default block size (${target.description})`,
  () => createAzureDriver(target.driverOptions()),
  { expectRedirects: true },
);
