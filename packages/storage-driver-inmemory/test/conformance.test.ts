import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createInMemoryDriver } from '../src/index.js';

describeStorageDriver('inmemory', () => createInMemoryDriver());
