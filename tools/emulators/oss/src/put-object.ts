import type { IncomingMessage } from 'node:http';
import { bucketOf, type RequestContext } from './context.js';
import { OssError } from './errors.js';
import { header, sendEmpty } from './http-io.js';
import { metadataFromRequest } from './metadata.js';
import { encryptionHeaders, quoted } from './object-record.js';
import { receiveBody } from './receive-body.js';

/**
 * PutObject (`PUT /key`): the body streams to a new data file, hashed on the way; the object
 * appears only once every byte is in and `Content-MD5`, if sent, matches.
 */
export async function putObject(context: RequestContext): Promise<void> {
  const { req, res, emulator } = context;
  const bucket = bucketOf(context);
  const { key } = context.address;
  emulator.store.requireBucket(bucket);
  checkObjectKey(key);
  const metadata = metadataFromRequest(req);
  const data = emulator.store.newDataFile();
  const { size, md5 } = await receiveBody(req, data.path);
  const record = await emulator.store.commit(
    {
      bucket,
      key,
      size,
      etag: md5.toString('hex').toUpperCase(),
      type: 'Normal',
      contentMd5: md5.toString('base64'),
      metadata,
      dataFile: data.name,
    },
    { forbidOverwrite: forbidsOverwrite(req) },
  );
  sendEmpty(res, 200, {
    etag: quoted(record.etag),
    'content-md5': md5.toString('base64'),
    ...encryptionHeaders(record.metadata.encryption),
  });
}

/** `x-oss-forbid-overwrite: true`: the write must not replace an existing object. */
export function forbidsOverwrite(req: IncomingMessage): boolean {
  return header(req, 'x-oss-forbid-overwrite')?.toLowerCase() === 'true';
}

/** Object keys as OSS takes them: 1–1023 bytes of UTF-8, not starting with `/` or `\`. */
export function checkObjectKey(key: string): void {
  const bytes = Buffer.byteLength(key);
  if (bytes === 0 || bytes > 1023 || key.startsWith('/') || key.startsWith('\\')) {
    throw new OssError(400, 'InvalidObjectName', 'The specified object is not valid.', {
      ObjectName: key,
    });
  }
}
