import type { BaseDriverOptions } from '@lading/storage-driver';

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** S3's floor for every part of a multipart upload but the last. */
export const minimumPartSize = 5 * MiB;
/** S3's ceiling for one part, and for one CopyObject. */
export const maximumPartSize = 5 * GiB;

export const defaultChunkSize = 10 * MiB;
export const defaultMultipartCopyChunkSize = 32 * MiB;
export const defaultMultipartCopyThresholdSize = 32 * MiB;
export const defaultMultipartCopyMaxConcurrency = 100;
/** How long a presigned redirect URL stays valid: distribution's 20 minutes. */
export const defaultRedirectExpirySeconds = 20 * 60;
/** Attempts per request, the first included, before the SDK gives up on a transient error. */
export const defaultMaxAttempts = 5;

export const storageClasses = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'OUTPOSTS',
  'GLACIER_IR',
  'EXPRESS_ONEZONE',
] as const;
export type StorageClass = (typeof storageClasses)[number];

export const objectAcls = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;
export type ObjectAcl = (typeof objectAcls)[number];

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The S3 driver's options; `fromParameters()` builds them from config.yml. */
export interface S3DriverOptions extends BaseDriverOptions {
  /** The bucket; it must exist. */
  bucket: string;
  /** AWS region; default `us-east-1` (required by config.yml unless `regionEndpoint` is set). */
  region?: string;
  /** An S3-compatible endpoint (`http://127.0.0.1:8080`, `https://minio.example`). */
  regionEndpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`. Default false. */
  forcePathStyle?: boolean;
  /** Static credentials; otherwise the SDK's default chain (env, profile, IMDS, IRSA…). */
  credentials?: S3Credentials;
  /** Server-side encryption: SSE-S3 (`AES256`), or SSE-KMS when `keyId` is set. Default false. */
  encrypt?: boolean;
  /** KMS key for SSE-KMS; only with `encrypt`. */
  keyId?: string;
  /** HTTPS for endpoints given without a scheme and for AWS's own. Default true. */
  secure?: boolean;
  /** Accept any TLS certificate (self-signed test endpoints only). Default false. */
  skipVerify?: boolean;
  /** Multipart part size of writers: memory per open writer ≈ 2 × this. Default 10 MiB. */
  chunkSize?: number;
  /** Part size of multipart copies. Default 32 MiB. */
  multipartCopyChunkSize?: number;
  /** Objects larger than this are moved by multipart copy. Default 32 MiB. */
  multipartCopyThresholdSize?: number;
  /** Parts copied at once in a multipart copy. Default 100. */
  multipartCopyMaxConcurrency?: number;
  /** Key prefix of everything the driver stores. Default none. */
  rootDirectory?: string;
  /** Storage class of new objects; `undefined` leaves it to the bucket. Default STANDARD. */
  storageClass?: StorageClass;
  /** Canned ACL of new objects. Default `private`. */
  objectAcl?: ObjectAcl;
  /** Appended to the SDK's User-Agent. */
  userAgent?: string;
  /** AWS dual-stack (IPv6) endpoints. Default false. */
  useDualstack?: boolean;
  /** S3 Transfer Acceleration endpoints. Default false. */
  accelerate?: boolean;
  /** Attempts per request (SDK standard retry mode, with backoff). Default 5. */
  maxAttempts?: number;
  /** Lifetime of presigned redirect URLs. Default 1200 s. */
  redirectExpirySeconds?: number;
}
