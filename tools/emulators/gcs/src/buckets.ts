import { requireParam, type RequestContext } from './context.js';
import { badRequest } from './errors.js';
import { readJsonObject, sendJson } from './http-io.js';
import type { BucketRecord } from './object-store.js';

// GCS's rule for names without dots: 3–63 of a–z, 0–9, `-` and `_`, starting and ending with
// a letter or digit. Dotted (domain) names are left out: nothing here needs them.
const bucketName = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

export function checkBucketName(name: string): void {
  if (!bucketName.test(name)) throw badRequest(`Invalid bucket name: '${name}'`);
}

/** `GET /storage/v1/b/:bucket`: the bucket resource, or 404. */
export function getBucket(context: RequestContext): Promise<void> {
  const { emulator, res } = context;
  const bucket = emulator.store.requireBucket(requireParam(context, 'bucket'));
  sendJson(res, 200, bucketResource(bucket, emulator.endpoint));
  return Promise.resolve();
}

/** `POST /storage/v1/b?project=P` with `{"name": …}`: 409 if the bucket exists. */
export async function insertBucket(context: RequestContext): Promise<void> {
  const { emulator, req, res, url } = context;
  if (url.searchParams.get('project') === null) {
    throw badRequest('Required parameter: project', 'required');
  }
  const body = await readJsonObject(req);
  if (typeof body.name !== 'string') throw badRequest('Required parameter: name', 'required');
  checkBucketName(body.name);
  const bucket = await emulator.store.createBucket(body.name);
  sendJson(res, 200, bucketResource(bucket, emulator.endpoint));
}

function bucketResource(bucket: BucketRecord, endpoint: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: bucket.name,
    selfLink: `${endpoint}/storage/v1/b/${bucket.name}`,
    name: bucket.name,
    timeCreated: bucket.timeCreated,
    updated: bucket.updated,
    metageneration: '1',
    location: 'US',
    locationType: 'multi-region',
    storageClass: 'STANDARD',
    etag: 'CAE=',
  };
}
