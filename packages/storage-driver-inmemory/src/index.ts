export { createInMemoryDriver, fromParameters, inMemoryDriverFactory } from './inmemory-driver.js';
export type { InMemoryDriverOptions } from './inmemory-driver.js';
