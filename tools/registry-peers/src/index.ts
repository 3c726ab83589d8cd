export { startAzurite, type RunningAzurite } from './azurite.js';
export {
  aptInstallCommand,
  ensureDebianPackages,
  ensureDebianRequirements,
  MissingDebianPackagesError,
  type DebianPackageOptions,
  type DebianRequirement,
} from './debian-packages.js';
export type { DistributionLogLevel, TokenAuthSettings } from './distribution-config.js';
export {
  startDistribution,
  type DistributionOptions,
  type RunningDistribution,
} from './distribution.js';
export { sha256Digest } from './digest.js';
export {
  startGcsEmulator,
  type GcsServiceAccount,
  type RunningGcsEmulator,
} from './gcs-emulator.js';
export { freeLoopbackPort } from './free-port.js';
export { bcryptHtpasswd } from './htpasswd.js';
export { startOssEmulator, type RunningOssEmulator } from './oss-emulator.js';
export { buildOciImage, type OciImageSpec, type WrittenImage } from './oci-image.js';
export { readOciLayout, type ReadManifest } from './oci-layout-reader.js';
export {
  writeOciIndexLayout,
  writeOciLayout,
  type OciIndexSpec,
  type WrittenIndex,
} from './oci-layout-writer.js';
export { ociMediaTypes, refNameAnnotation, type OciDescriptor } from './oci-media-types.js';
export { createPodman, type Podman, type PodmanOptions } from './podman.js';
export { startPostgres, type PostgresOptions, type RunningPostgres } from './postgres.js';
export {
  startRecordingProxy,
  type Fault,
  type Interceptor,
  type RecordingProxy,
  type SeenRequest,
} from './recording-proxy.js';
export { CommandFailedError, type CommandOutput } from './run-command.js';
export { startServerProcess, type ServerProcess } from './server-process.js';
export { copyImage, inspectRaw, skopeo, type CopyImageOptions } from './skopeo.js';
export {
  startSwift,
  type RunningSwift,
  type SwiftOptions,
  type SwiftProcessName,
} from './swift.js';
export { UserXattrsUnsupportedError } from './swift-xattrs.js';
export { ustarArchive } from './ustar.js';
export { waitUntilReady } from './wait-until-ready.js';
