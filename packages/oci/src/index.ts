export {
  DigestInvalidError,
  ManifestInvalidError,
  ManifestUnverifiedError,
  NameInvalidError,
  OciError,
  TagInvalidError,
  isOciError,
} from './errors.js';
export type { OciErrorCode } from './errors.js';
export {
  Digester,
  canonicalAlgorithm,
  digestOf,
  emptyDigest,
  isDigest,
  isDigestAlgorithm,
  parseDigest,
} from './digest.js';
export type { DigestAlgorithm, ParsedDigest } from './digest.js';
export {
  isRepositoryName,
  isTag,
  maxRepositoryNameLength,
  maxTagLength,
  parseReference,
  validateRepositoryName,
  validateTag,
} from './names.js';
export type { Reference } from './names.js';
export {
  MediaType,
  essenceOf,
  imageManifestMediaTypes,
  indexMediaTypes,
  isManifestMediaType,
  manifestMediaTypes,
  schema1MediaTypes,
} from './media-types.js';
export type {
  Descriptor,
  ImageIndex,
  ImageManifest,
  ParsedManifest,
  Platform,
  Schema1Manifest,
} from './manifest-types.js';
export { detectManifestMediaType, parseManifest } from './parse-manifest.js';
export { annotationsOf, artifactTypeOf, manifestReferences } from './manifest-references.js';
export { signSchema1 } from './sign-schema1.js';
export type { BlobReference, ManifestReferences } from './manifest-references.js';
