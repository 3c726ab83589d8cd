export { putBucketRequest, type PutBucketRequest } from './bucket-client.js';
export { ossEmulatorCli } from './cli-path.js';
export {
  startOssEmulator,
  type AccessKey,
  type OssEmulatorOptions,
  type RunningOssEmulator,
} from './server.js';
