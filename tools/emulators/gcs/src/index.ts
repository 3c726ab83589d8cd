export { gcsEmulatorCli } from './cli-path.js';
export {
  startGcsEmulator,
  type GcsEmulatorOptions,
  type RunningGcsEmulator,
  type ServiceAccountKey,
} from './server.js';
