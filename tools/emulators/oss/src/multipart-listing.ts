import { bucketOf, type RequestContext } from './context.js';
import { isoTime } from './dates.js';
import { invalidArgument, notImplemented } from './errors.js';
import { sendXml } from './http-io.js';
import { compareNames, encodeIfAsked, encodingOf, limitParameter } from './list-page.js';
import { uploadOf } from './multipart.js';
import { quoted } from './object-record.js';
import type { UploadRecord } from './upload-store.js';
import { element, elements, group } from './xml.js';

/**
 * ListParts (`GET /key?uploadId=…`): the parts by number, after `part-number-marker`, at most
 * `max-parts` (1–1000, default 1000), with `IsTruncated` and `NextPartNumberMarker`.
 */
export async function listParts(context: RequestContext): Promise<void> {
  const { query } = context;
  const upload = await uploadOf(context);
  const markerText = query.get('part-number-marker') ?? '0';
  if (!/^\d+$/.test(markerText)) throw invalidArgument('part-number-marker must be a number.');
  const marker = Number(markerText);
  const maxParts = limitParameter(query, 'max-parts', 1000);
  const after = (await context.emulator.uploads.parts(upload.uploadId)).filter(
    (part) => part.partNumber > marker,
  );
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  const encoding = encodingOf(query);
  const head = elements({
    Bucket: upload.bucket,
    EncodingType: encoding,
    Key: encodeIfAsked(upload.key, encoding),
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.at(-1)?.partNumber ?? marker,
    MaxParts: maxParts,
    IsTruncated: String(truncated),
  });
  const parts = page.map((part) =>
    group(
      'Part',
      elements({
        PartNumber: part.partNumber,
        LastModified: isoTime(part.lastModified),
        ETag: quoted(part.etag),
        Size: part.size,
      }),
    ),
  );
  sendXml(context.res, 200, group('ListPartsResult', [...head, ...parts]));
}

/**
 * ListMultipartUploads (`GET /?uploads`): uploads in progress, by key and then by upload id
 * (which follows initiation time), under `prefix`, after `key-marker` (and, for that key,
 * after `upload-id-marker`), at most `max-uploads` (1–1000, default 1000).
 */
export async function listMultipartUploads(context: RequestContext): Promise<void> {
  const { query } = context;
  const bucket = bucketOf(context);
  context.emulator.store.requireBucket(bucket);
  if (query.has('delimiter')) throw notImplemented('delimiter on ListMultipartUploads');
  const prefix = query.get('prefix') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  const uploadIdMarker = keyMarker === '' ? '' : (query.get('upload-id-marker') ?? '');
  const maxUploads = limitParameter(query, 'max-uploads', 1000);
  const after = (await context.emulator.uploads.list(bucket))
    .filter((upload) => upload.key.startsWith(prefix) && isAfter(upload, keyMarker, uploadIdMarker))
    .sort((a, b) => compareNames(a.key, b.key) || compareNames(a.uploadId, b.uploadId));
  const page = after.slice(0, maxUploads);
  const truncated = after.length > page.length;
  const encoding = encodingOf(query);
  const encode = (text: string) => encodeIfAsked(text, encoding);
  const last = page.at(-1);
  const head = elements({
    Bucket: bucket,
    EncodingType: encoding,
    KeyMarker: encode(keyMarker),
    UploadIdMarker: uploadIdMarker,
    NextKeyMarker: encode(truncated ? (last?.key ?? '') : ''),
    NextUploadIdMarker: truncated ? (last?.uploadId ?? '') : '',
    Delimiter: '',
    Prefix: encode(prefix),
    MaxUploads: maxUploads,
    IsTruncated: String(truncated),
  });
  const uploads = page.map((upload) =>
    group('Upload', [
      element('Key', encode(upload.key)),
      element('UploadId', upload.uploadId),
      element('Initiated', isoTime(upload.initiated)),
    ]),
  );
  sendXml(context.res, 200, group('ListMultipartUploadsResult', [...head, ...uploads]));
}

function isAfter(upload: UploadRecord, keyMarker: string, uploadIdMarker: string): boolean {
  const order = compareNames(upload.key, keyMarker);
  if (uploadIdMarker === '') return order > 0;
  return order > 0 || (order === 0 && compareNames(upload.uploadId, uploadIdMarker) > 0);
}
