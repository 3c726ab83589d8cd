export { createKeyValueDriver, keyValueDriverFactory } from './key-value-driver.js';
export { MapStore } from './key-value-store.js';
export type { Entry, KeyValueStore } from './key-value-store.js';
