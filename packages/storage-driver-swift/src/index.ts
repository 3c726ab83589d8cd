export { createSwiftDriver, swiftDriverFactory } from './swift-driver.js';
export { fromParameters } from './swift-parameters.js';
export {
  authVersions,
  defaultChunkSize,
  defaultMaxAttempts,
  defaultRedirectExpirySeconds,
  defaultRequestTimeoutMs,
  endpointTypes,
  maximumChunkSize,
  minimumChunkSize,
  tempUrlMethods,
} from './swift-options.js';
export type {
  AuthVersion,
  EndpointType,
  SwiftAuthOptions,
  SwiftDriverOptions,
  TempUrlMethod,
} from './swift-options.js';
export { SwiftAuthError } from './swift-auth.js';
export { SwiftRequestError } from './swift-errors.js';
