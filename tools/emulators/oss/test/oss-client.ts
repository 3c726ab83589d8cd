import type { Readable } from 'node:stream';
import OSS from 'ali-oss';

// The part of ali-oss 6.23 the tests call, typed as the library behaves: @types/ali-oss 6.23.3
// types results as `any`, requires options ali-oss does not, and lacks getObjectMeta,
// sldEnable and amendTimeSkewed. Read from ali-oss's lib/ (object.js, common/object/*.js,
// common/multipart*.js).

/** ali-oss options the tests set. */
export interface ClientOptions {
  accessKeyId: string;
  accessKeySecret: string;
  endpoint: string;
  bucket?: string;
  region?: string;
  authorizationV4?: boolean;
  /** Path style (`/bucket/key`): with a hostname endpoint, how signed URLs name the bucket. */
  sldEnable?: boolean;
  /** Milliseconds added to the request time, to sign as a skewed clock would. */
  amendTimeSkewed?: number;
  retryMax?: number;
}

/** The HTTP response ali-oss hands back with each result (urllib's). */
export interface OssResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** The raw body, for calls whose answer is XML. */
  data: Buffer;
}

export interface WriteOptions {
  mime?: string;
  meta?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface ListedObject {
  name: string;
  etag: string;
  lastModified: string;
  size: number;
  type: string;
  storageClass: string;
  owner: { id: string; displayName: string } | null;
}

export interface ListResult {
  objects: ListedObject[];
  prefixes: string[] | null;
  isTruncated: boolean;
  nextMarker: string | null;
}

export interface ListV2Result extends Omit<ListResult, 'nextMarker'> {
  keyCount: number;
  continuationToken: string | null;
  nextContinuationToken: string | null;
}

/** ListParts' parts as the XML parser leaves them: one object, or an array of them. */
export type ListedParts = Record<string, string> | Record<string, string>[];

export interface CopySourceData {
  sourceKey: string;
  sourceBucketName: string;
}

export interface OssClient {
  put(name: string, body: Buffer, options?: WriteOptions): Promise<{ res: OssResponse }>;
  putStream(name: string, body: Readable, options?: WriteOptions): Promise<{ res: OssResponse }>;
  append(name: string, body: Buffer): Promise<{ res: OssResponse }>;
  get(
    name: string,
    options?: { headers?: Record<string, string> },
  ): Promise<{ content: Buffer; res: OssResponse }>;
  getStream(name: string): Promise<{ stream: Readable; res: OssResponse }>;
  head(
    name: string,
  ): Promise<{ status: number; meta: Record<string, string> | null; res: OssResponse }>;
  getObjectMeta(name: string): Promise<{ status: number; res: OssResponse }>;
  getACL(name: string): Promise<unknown>;
  delete(name: string): Promise<{ res: OssResponse }>;
  deleteMulti(
    names: string[],
    options?: { quiet?: boolean },
  ): Promise<{ deleted: { Key: string }[] }>;
  copy(
    name: string,
    source: string,
    bucketOrOptions?: string | WriteOptions,
  ): Promise<{ data: { etag: string; lastModified: string } | null; res: OssResponse }>;
  putMeta(name: string, meta: Record<string, string>, options?: object): Promise<unknown>;
  list(query: Record<string, string | number> | null, options?: object): Promise<ListResult>;
  listV2(query: Record<string, string | boolean>): Promise<ListV2Result>;
  getBucketInfo(name: string): Promise<unknown>;
  signatureUrl(
    name: string,
    options?: { expires?: number; method?: string; response?: Record<string, string> },
  ): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request: { headers?: Record<string, string>; queries?: Record<string, string> },
    name: string,
    /** Further headers to sign, e.g. `host`; their values must be in `request.headers`. */
    additionalHeaders?: string[],
  ): Promise<string>;
  initMultipartUpload(name: string, options?: WriteOptions): Promise<{ uploadId: string }>;
  uploadPart(
    name: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
    start: number,
    end: number,
  ): Promise<{ etag: string }>;
  uploadPartCopy(
    name: string,
    uploadId: string,
    partNumber: number,
    range: string,
    source: CopySourceData,
  ): Promise<{ etag: string; res: OssResponse }>;
  completeMultipartUpload(
    name: string,
    uploadId: string,
    parts: { number: number; etag: string }[],
  ): Promise<{ etag: string; res: OssResponse }>;
  abortMultipartUpload(name: string, uploadId: string): Promise<{ res: OssResponse }>;
  multipartUpload(
    name: string,
    body: Buffer,
    options: WriteOptions & { partSize: number; parallel?: number },
  ): Promise<{ etag: string }>;
  multipartUploadCopy(
    name: string,
    source: CopySourceData,
    options: { partSize: number },
  ): Promise<unknown>;
  listParts(
    name: string,
    uploadId: string,
    query?: Record<string, string>,
  ): Promise<{
    uploadId: string;
    name: string;
    isTruncated: string;
    nextPartNumberMarker: string;
    parts: ListedParts;
  }>;
  listUploads(query: Record<string, string | number>): Promise<{
    uploads: { name: string; uploadId: string; initiated: string }[];
    isTruncated: boolean;
    nextKeyMarker: string;
    nextUploadIdMarker: string;
  }>;
}

/** An ali-oss client, typed as above. */
export function ossClient(options: ClientOptions): OssClient {
  return new OSS(options) as unknown as OssClient;
}

/** ListParts' parts as an array, however many there are. */
export function partsOf(listed: ListedParts): Record<string, string>[] {
  return Array.isArray(listed) ? listed : [listed];
}
