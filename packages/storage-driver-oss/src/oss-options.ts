import type { BaseDriverOptions } from '@lading/storage-driver';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** OSS's floor for every part of a multipart upload but the last. */
export const minimumPartSize = 100 * KiB;
/** OSS's ceiling for one part. */
export const maximumPartSize = 5 * GiB;
/** OSS's ceiling for one CopyObject: larger objects are copied part by part. */
export const maximumCopyObjectSize = 1 * GiB;

/** distribution's default part size, and its floor (which Lading keeps, for compatibility). */
export const defaultChunkSize = 10 * MiB;
export const minimumChunkSize = 5 * MiB;
/** Part size of multipart copies. */
export const defaultCopyChunkSize = 256 * MiB;
/** Parts copied at once in a multipart copy. */
export const defaultCopyConcurrency = 8;
/** How long a signed redirect URL stays valid: distribution's 20 minutes. */
export const defaultRedirectExpirySeconds = 20 * 60;
/** Attempts per request, the first included, on network errors, 5xx and 429. */
export const defaultMaxAttempts = 5;
/** Per request, in milliseconds (ali-oss's own default is 60 s). */
export const defaultRequestTimeoutMs = 60_000;

/** The oss driver's options; `fromParameters()` builds them from config.yml. */
export interface OssDriverOptions extends BaseDriverOptions {
  /** `accesskeyid`, `accesskeysecret`: the RAM user's AccessKey pair. */
  accessKeyId: string;
  accessKeySecret: string;
  /** `region`: `oss-cn-hangzhou`, `oss-ap-southeast-1`… */
  region: string;
  /** `bucket`; it must exist. */
  bucket: string;
  /** `endpoint`: another endpoint (a custom domain, an emulator); default from the region. */
  endpoint?: string;
  /** `internal`: the region's internal (VPC/classic network) endpoint. Default false. */
  internal?: boolean;
  /** `secure`: HTTPS. Default true. */
  secure?: boolean;
  /** `encrypt`: server-side encryption, SSE-OSS (AES256), or SSE-KMS with `encryptionKeyId`. */
  encrypt?: boolean;
  /** `encryptionkeyid`: the KMS key of SSE-KMS; needs `encrypt`. */
  encryptionKeyId?: string;
  /** `chunksize`: part size of writers, at least 5 MiB. Default 10 MiB. */
  chunkSize?: number;
  /** `rootdirectory`: a key prefix for everything the registry stores. Default none. */
  rootDirectory?: string;
  /** Attempts per request on network errors, 5xx and 429. Default 5. */
  maxAttempts?: number;
  /** Per request. Default 60 s. */
  requestTimeoutMs?: number;
  /** Lifetime of signed redirect URLs. Default 1200 s. */
  redirectExpirySeconds?: number;
  /** Part size of multipart copies. Default 256 MiB. */
  copyChunkSize?: number;
  /** Objects larger than this are moved by multipart copy; at most OSS's 1 GiB. Default 1 GiB. */
  copyThresholdSize?: number;
}
