export { composeRegistry } from './compose.js';
export type { ComposeOptions, Registry } from './compose.js';
export { startRegistry } from './server.js';
export type { RunningRegistry, StartOptions } from './server.js';
export { createLogger } from './logging.js';
export { storageDrivers } from './storage.js';
