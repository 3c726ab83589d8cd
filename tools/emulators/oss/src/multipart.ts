import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { bucketOf, type RequestContext } from './context.js';
import { copyRange, copySource } from './copy-source.js';
import { isoTime } from './dates.js';
import { OssError, entityTooLarge, invalidArgument, malformedXml } from './errors.js';
import { checkContentMd5, header, md5Of, readSmallBody, sendEmpty, sendXml } from './http-io.js';
import { encodeIfAsked, encodingOf } from './list-page.js';
import { metadataFromRequest } from './metadata.js';
import { encryptionHeaders, quoted } from './object-record.js';
import { checkObjectKey, forbidsOverwrite } from './put-object.js';
import { maxSinglePutSize, receiveBody, writeHashed } from './receive-body.js';
import type { PartRecord, UploadRecord } from './upload-store.js';
import { element, elements, group } from './xml.js';
import { childText, childrenNamed, parseXml } from './xml-parser.js';

/** Every part but the last must have at least 100 KiB. */
export const minPartSize = 100 * 1024;

/** InitiateMultipartUpload (`POST /key?uploads`): the metadata the object will get, and an id. */
export async function initiateMultipartUpload(context: RequestContext): Promise<void> {
  const { req, res, emulator, query } = context;
  const bucket = bucketOf(context);
  const { key } = context.address;
  emulator.store.requireBucket(bucket);
  checkObjectKey(key);
  const encoding = encodingOf(query);
  const upload = await emulator.uploads.create(bucket, key, metadataFromRequest(req));
  const result = group(
    'InitiateMultipartUploadResult',
    elements({
      Bucket: bucket,
      Key: encodeIfAsked(key, encoding),
      UploadId: upload.uploadId,
      EncodingType: encoding,
    }),
  );
  sendXml(res, 200, result, encryptionHeaders(upload.metadata.encryption));
}

/**
 * UploadPart (`PUT /key?partNumber=N&uploadId=…`) and, with `x-oss-copy-source`, UploadPartCopy:
 * the part's bytes (the body, or a range of another object) stream to a file of the upload's;
 * a part sent again replaces the earlier one. Answers the part's ETag, its MD5 in upper-case hex.
 */
export async function uploadPart(context: RequestContext): Promise<void> {
  const { req, res, emulator } = context;
  const upload = await uploadOf(context);
  const partNumber = partNumberOf(context.query);
  const file = emulator.uploads.newPartFile(upload.uploadId, partNumber);
  const copying = header(req, 'x-oss-copy-source') !== undefined;
  const written = copying ? await copyPart(context, file.path) : await receiveBody(req, file.path);
  const part: PartRecord = {
    partNumber,
    etag: written.md5.toString('hex').toUpperCase(),
    size: written.size,
    lastModified: Date.now(),
    dataFile: file.name,
  };
  await emulator.uploads.putPart(upload, part);
  const headers = { etag: quoted(part.etag), ...encryptionHeaders(upload.metadata.encryption) };
  if (!copying) {
    sendEmpty(res, 200, headers);
    return;
  }
  const result = group('CopyPartResult', [
    element('LastModified', isoTime(part.lastModified)),
    element('ETag', quoted(part.etag)),
  ]);
  sendXml(res, 200, result, headers);
}

/** UploadPartCopy's bytes: `x-oss-copy-source-range` of the source, or all of it. */
async function copyPart(
  context: RequestContext,
  path: string,
): Promise<{ size: number; md5: Buffer }> {
  const source = await copySource(context.req, context.emulator.store);
  try {
    const range = copyRange(context.req, source.record.size);
    const size = range === undefined ? source.record.size : range.end - range.start + 1;
    if (size > maxSinglePutSize) {
      throw entityTooLarge({
        MaxSizeAllowed: String(maxSinglePutSize),
        ProposedSize: String(size),
      });
    }
    return await writeHashed(source.read(range), path);
  } finally {
    await source.close();
  }
}

/**
 * CompleteMultipartUpload (`POST /key?uploadId=…`): checks the part list as OSS does (ascending
 * part numbers, else InvalidPartOrder; each part uploaded with that ETag, else InvalidPart;
 * every part but the last at least 100 KiB, else EntityTooSmall), joins the listed parts into
 * one data file and only then makes the object appear, whole. Parts left out are dropped.
 */
export async function completeMultipartUpload(context: RequestContext): Promise<void> {
  const { req, res, emulator, query } = context;
  const upload = await uploadOf(context);
  const encoding = encodingOf(query);
  const body = await readSmallBody(req);
  checkContentMd5(req, md5Of(body));
  const listed = parsePartList(body.toString('utf8'), upload.uploadId);
  const record = await emulator.uploads.run(upload.uploadId, async () => {
    const current = await uploadOf(context);
    const parts = matchParts(
      listed,
      await emulator.uploads.parts(current.uploadId),
      current.uploadId,
    );
    const data = emulator.store.newDataFile();
    const { size } = await writeHashed(joinParts(context, parts), data.path);
    const committed = await emulator.store.commit(
      {
        bucket: current.bucket,
        key: current.key,
        size,
        etag: multipartEtag(parts),
        type: 'Multipart',
        metadata: current.metadata,
        dataFile: data.name,
      },
      { forbidOverwrite: forbidsOverwrite(req) },
    );
    await emulator.uploads.remove(current.uploadId);
    return committed;
  });
  const path = encodeURIComponent(record.key).replaceAll('%2F', '/');
  const host = header(req, 'host') ?? '';
  const result = group(
    'CompleteMultipartUploadResult',
    elements({
      EncodingType: encoding,
      // The object's URL, addressed the way this request was.
      Location: `http://${host}/${context.address.style === 'path' ? `${record.bucket}/` : ''}${path}`,
      Bucket: record.bucket,
      Key: encodeIfAsked(record.key, encoding),
      ETag: quoted(record.etag),
    }),
  );
  sendXml(res, 200, result, {
    etag: quoted(record.etag),
    ...encryptionHeaders(record.metadata.encryption),
  });
}

/** AbortMultipartUpload (`DELETE /key?uploadId=…`): the upload and its parts go; 204. */
export async function abortMultipartUpload(context: RequestContext): Promise<void> {
  const upload = await uploadOf(context);
  await context.emulator.uploads.run(upload.uploadId, async () => {
    await uploadOf(context);
    await context.emulator.uploads.remove(upload.uploadId);
  });
  sendEmpty(context.res, 204);
}

/** The upload the request's `uploadId` names, of its bucket and key; 404 NoSuchUpload if none. */
export async function uploadOf(context: RequestContext): Promise<UploadRecord> {
  const bucket = bucketOf(context);
  context.emulator.store.requireBucket(bucket);
  return context.emulator.uploads.get(
    context.query.get('uploadId') ?? '',
    bucket,
    context.address.key,
  );
}

function partNumberOf(query: URLSearchParams): number {
  const text = query.get('partNumber') ?? '';
  const partNumber = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(partNumber >= 1 && partNumber <= 10000)) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive.', {
      ArgumentName: 'partNumber',
      ArgumentValue: text,
    });
  }
  return partNumber;
}

/** `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>…`, in the order given. */
function parsePartList(text: string, uploadId: string): { partNumber: number; etag: string }[] {
  const root = parseXml(text);
  if (root.name !== 'CompleteMultipartUpload') throw malformedXml();
  const listed = childrenNamed(root, 'Part').map((part) => {
    const partNumber = Number(childText(part, 'PartNumber'));
    const etag = childText(part, 'ETag');
    if (!Number.isInteger(partNumber) || etag === undefined) throw malformedXml();
    return { partNumber, etag: etag.trim().replace(/^"|"$/g, '').toUpperCase() };
  });
  if (listed.length === 0) throw malformedXml();
  listed.forEach((part, index) => {
    if (index > 0 && part.partNumber <= (listed[index - 1]?.partNumber ?? 0)) {
      throw new OssError(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts list must specified in order by part number.',
        { UploadId: uploadId },
      );
    }
  });
  return listed;
}

/** The uploaded parts the list names, checked: ETags must match, sizes must be large enough. */
function matchParts(
  listed: readonly { partNumber: number; etag: string }[],
  uploaded: readonly PartRecord[],
  uploadId: string,
): PartRecord[] {
  const byNumber = new Map(uploaded.map((part) => [part.partNumber, part]));
  return listed.map(({ partNumber, etag }, index) => {
    const part = byNumber.get(partNumber);
    if (part?.etag !== etag) {
      throw new OssError(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
        { UploadId: uploadId, PartNumber: String(partNumber), ETag: etag },
      );
    }
    if (index < listed.length - 1 && part.size < minPartSize) {
      throw new OssError(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size.',
        {
          MinSizeAllowed: String(minPartSize),
          ProposedSize: String(part.size),
          PartNumber: String(partNumber),
        },
      );
    }
    return part;
  });
}

/** The parts' bytes one after the other, each file opened only when its turn comes. */
async function* joinParts(
  context: RequestContext,
  parts: readonly PartRecord[],
): AsyncGenerator<Buffer> {
  const uploadId = context.query.get('uploadId') ?? '';
  for (const part of parts) {
    yield* createReadStream(
      context.emulator.uploads.partPath(uploadId, part),
    ) as AsyncIterable<Buffer>;
  }
}

/** MD5 of the parts' binary MD5s, upper-case hex, then `-` and the number of parts. */
function multipartEtag(parts: readonly PartRecord[]): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(Buffer.from(part.etag, 'hex'));
  return `${hash.digest('hex').toUpperCase()}-${String(parts.length)}`;
}
