import { bucketOf, type RequestContext } from './context.js';
import { OssError } from './errors.js';
import { drain, sendEmpty } from './http-io.js';

const bucketName = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/**
 * PutBucket (`PUT /`): creates the bucket; 409 BucketAlreadyExists if it exists. A
 * `<CreateBucketConfiguration>` body (storage class, redundancy) is read and ignored: every
 * bucket here is Standard, locally redundant.
 */
export async function putBucket(context: RequestContext): Promise<void> {
  const bucket = bucketOf(context);
  checkBucketName(bucket);
  await drain(context.req);
  await context.emulator.store.createBucket(bucket);
  sendEmpty(context.res, 200, { location: `/${bucket}` });
}

/** Bucket names as OSS takes them: 3–63 of a–z, 0–9 and `-`, starting and ending with a letter or digit. */
export function checkBucketName(name: string): void {
  if (!bucketName.test(name)) {
    throw new OssError(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
      BucketName: name,
    });
  }
}
