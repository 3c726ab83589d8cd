import { httpDate } from './dates.js';
import { v1Signature, v1StringToSign } from './signature-v1.js';

export interface PutBucketRequest {
  /** `http://127.0.0.1:PORT`: the request goes path style, `PUT /<bucket>/`. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  bucket: string;
  signal?: AbortSignal;
}

/**
 * PutBucket over HTTP, signed with V1 like any client's: how a test creates buckets in an
 * emulator running as a child process. Resolves with OSS's answer: 200, or an XML error such as
 * 409 BucketAlreadyExists.
 */
export async function putBucketRequest(request: PutBucketRequest): Promise<Response> {
  const date = httpDate(Date.now());
  const stringToSign = v1StringToSign({
    method: 'PUT',
    headers: { 'x-oss-date': date },
    date,
    resource: `/${request.bucket}/`,
  });
  const signature = v1Signature(request.accessKeySecret, stringToSign);
  return fetch(`${request.endpoint}/${request.bucket}/`, {
    method: 'PUT',
    headers: { 'x-oss-date': date, authorization: `OSS ${request.accessKeyId}:${signature}` },
    signal: request.signal ?? null,
  });
}
