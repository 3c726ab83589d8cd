import type { Address } from './addressing.js';

// The query parameters OSS counts as sub-resources: V1 signs them into CanonicalizedResource,
// every other parameter (prefix, max-keys, list-type, encoding-type…) is left out of the
// signature. ali-oss puts exactly these in `subres` and the rest in `query`; a name missing
// here, or one too many, breaks the signature of that call.
export const signedSubResources: ReadonlySet<string> = new Set([
  // Objects and multipart uploads.
  ...['acl', 'append', 'position', 'delete', 'objectMeta', 'symlink', 'restore', 'tagging'],
  ...['uploads', 'uploadId', 'partNumber', 'versions', 'versioning', 'versionId'],
  ...['continuation-token', 'sequential', 'withHashContext', 'asyncFetch'],
  // Response header overrides on GetObject.
  ...['response-content-type', 'response-content-language', 'response-expires'],
  ...['response-cache-control', 'response-content-disposition', 'response-content-encoding'],
  // Bucket configuration.
  ...['location', 'bucketInfo', 'stat', 'cors', 'logging', 'website', 'referer', 'lifecycle'],
  ...['policy', 'encryption', 'requestPayment', 'qos', 'qosInfo', 'cname', 'worm', 'wormId'],
  ...['wormExtend', 'inventory', 'inventoryId', 'replication', 'replicationProgress'],
  ...['replicationLocation', 'transferAcceleration', 'regionList', 'cloudboxes', 'metaQuery'],
  ...['resourceGroup', 'rtc', 'responseHeader'],
  // Live channels, image and data processing.
  ...['live', 'status', 'vod', 'startTime', 'endTime', 'comp', 'img', 'style', 'styleName'],
  ...['udf', 'udfName', 'udfImage', 'udfId', 'udfImageDesc', 'udfApplication'],
  ...['udfApplicationLog', 'x-oss-process', 'x-oss-async-process'],
  // Request options.
  ...['security-token', 'callback', 'callback-var', 'x-oss-traffic-limit'],
  ...['x-oss-request-payer', 'x-oss-enable-md5', 'x-oss-enable-sha1', 'x-oss-enable-sha256'],
  ...['x-oss-hash-ctx', 'x-oss-md5-ctx', 'x-oss-ac-source-ip', 'x-oss-ac-subnet-mask'],
  ...['x-oss-ac-vpc-id', 'x-oss-ac-forward-allow'],
]);

/**
 * V1's CanonicalizedResource: `/bucket/key` (the key as UTF-8, not URL-encoded; `/bucket/` for
 * the bucket itself, `/` for the service), then the signed sub-resources sorted by name,
 * `?name=value&name` (a parameter without a value is its bare name).
 */
export function canonicalizedResource(address: Address, query: URLSearchParams): string {
  const path = address.bucket === undefined ? '/' : `/${address.bucket}/${address.key}`;
  const signed = [...new Set(query.keys())]
    .filter((name) => signedSubResources.has(name))
    .sort()
    .map((name) => {
      const value = query.get(name) ?? '';
      return value === '' ? name : `${name}=${value}`;
    });
  return signed.length === 0 ? path : `${path}?${signed.join('&')}`;
}
