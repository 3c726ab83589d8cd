import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { MapStore, createKeyValueDriver } from '../src/index.js';

describeStorageDriver('keyvalue', () => createKeyValueDriver(new MapStore()));
