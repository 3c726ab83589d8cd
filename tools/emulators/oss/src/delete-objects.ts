import { bucketOf, type RequestContext } from './context.js';
import { OssError, malformedXml, notImplemented } from './errors.js';
import { checkContentMd5, header, md5Of, readSmallBody, sendEmpty, sendXml } from './http-io.js';
import { encodeIfAsked, encodingOf } from './list-page.js';
import { element, elements, group } from './xml.js';
import { childText, childrenNamed, parseXml } from './xml-parser.js';

// At most this many keys in one DeleteMultipleObjects.
const maxKeys = 1000;

/** DeleteObject (`DELETE /key`): 204, whether or not the key existed, as on OSS. */
export async function deleteObject(context: RequestContext): Promise<void> {
  await context.emulator.store.delete(bucketOf(context), context.address.key);
  sendEmpty(context.res, 204);
}

/**
 * DeleteMultipleObjects (`POST /?delete`): up to 1,000 keys in a `<Delete>` document whose
 * `Content-MD5` is required and checked. Verbose mode answers a `<Deleted>` per key (missing
 * keys included, as OSS does); `<Quiet>true</Quiet>` answers an empty body.
 */
export async function deleteMultipleObjects(context: RequestContext): Promise<void> {
  const { req, res, query, emulator } = context;
  const bucket = bucketOf(context);
  emulator.store.requireBucket(bucket);
  if (header(req, 'content-md5') === undefined) {
    throw new OssError(400, 'MissingArgument', 'Missing Some Required Arguments.', {
      ArgumentName: 'Content-MD5',
    });
  }
  const encoding = encodingOf(query);
  const body = await readSmallBody(req);
  checkContentMd5(req, md5Of(body));
  const { keys, quiet } = parseDelete(body.toString('utf8'));
  for (const key of keys) await emulator.store.delete(bucket, key);
  if (quiet) {
    sendEmpty(res, 200);
    return;
  }
  const deleted = keys.map((key) =>
    group('Deleted', [element('Key', encodeIfAsked(key, encoding))]),
  );
  sendXml(res, 200, group('DeleteResult', [...elements({ EncodingType: encoding }), ...deleted]));
}

function parseDelete(text: string): { keys: string[]; quiet: boolean } {
  const root = parseXml(text);
  if (root.name !== 'Delete') throw malformedXml();
  const quiet = childText(root, 'Quiet') ?? 'false';
  if (quiet !== 'true' && quiet !== 'false') throw malformedXml();
  const objects = childrenNamed(root, 'Object');
  if (objects.length === 0 || objects.length > maxKeys) throw malformedXml();
  const keys = objects.map((object) => {
    if (childText(object, 'VersionId') !== undefined) {
      throw notImplemented('VersionId in DeleteMultipleObjects');
    }
    const key = childText(object, 'Key');
    if (key === undefined || key === '') throw malformedXml();
    return key;
  });
  return { keys, quiet: quiet === 'true' };
}
