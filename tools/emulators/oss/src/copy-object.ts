import { link } from 'node:fs/promises';
import { bucketOf, type RequestContext } from './context.js';
import { copySource } from './copy-source.js';
import { isoTime } from './dates.js';
import { entityTooLarge, invalidArgument } from './errors.js';
import { header, sendXml } from './http-io.js';
import { encryptionFromRequest, metadataFromRequest } from './metadata.js';
import { encryptionHeaders, quoted, type ObjectMetadata } from './object-record.js';
import { checkObjectKey, forbidsOverwrite } from './put-object.js';
import { writeHashed } from './receive-body.js';
import { element, group } from './xml.js';

/** CopyObject copies at most 1 GiB; beyond that OSS wants UploadPartCopy. */
export const maxCopyObjectSize = 1024 * 1024 * 1024;

/**
 * CopyObject (`PUT /key` with `x-oss-copy-source`): the source's bytes to a new data file, or,
 * when source and destination are the same object, its metadata only (no bytes move, as OSS
 * does, and no size limit). `x-oss-metadata-directive: COPY` (the default) keeps the source's headers and user
 * metadata, `REPLACE` takes the request's. Server-side encryption comes from the request only,
 * never from the source, as OSS documents.
 */
export async function copyObject(context: RequestContext): Promise<void> {
  const { req, res, emulator } = context;
  const bucket = bucketOf(context);
  const { key } = context.address;
  emulator.store.requireBucket(bucket);
  checkObjectKey(key);
  const directive = header(req, 'x-oss-metadata-directive') ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('x-oss-metadata-directive must be COPY or REPLACE.');
  }
  const source = await copySource(req, emulator.store);
  try {
    const { record: from } = source;
    const sameObject = from.bucket === bucket && from.key === key;
    if (!sameObject && from.size > maxCopyObjectSize) {
      throw entityTooLarge({
        MaxSizeAllowed: String(maxCopyObjectSize),
        ProposedSize: String(from.size),
      });
    }
    const metadata: ObjectMetadata =
      directive === 'REPLACE'
        ? metadataFromRequest(req)
        : { ...from.metadata, encryption: encryptionFromRequest(req) };
    if (metadata.encryption === undefined) delete metadata.encryption;
    const data = emulator.store.newDataFile();
    if (sameObject) {
      // A second name for the same bytes: a metadata update moves none.
      await link(emulator.store.dataPath(from), data.path).catch(async (error: unknown) => {
        // Replaced meanwhile: the bytes are still in the file opened for the copy.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await writeHashed(source.read(), data.path);
      });
    } else {
      await writeHashed(source.read(), data.path);
    }
    const record = await emulator.store.commit(
      { ...from, bucket, key, metadata, dataFile: data.name },
      { forbidOverwrite: forbidsOverwrite(req) },
    );
    const result = group('CopyObjectResult', [
      element('ETag', quoted(record.etag)),
      element('LastModified', isoTime(record.lastModified)),
    ]);
    sendXml(res, 200, result, encryptionHeaders(record.metadata.encryption));
  } finally {
    await source.close();
  }
}
