import { createWriteStream } from 'node:fs';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  checkClaimedChecksums,
  claimedInMetadata,
  hashingStream,
  ObjectHasher,
  parseGoogHash,
} from './checksums.js';
import { requireParam, type RequestContext } from './context.js';
import { badRequest, notImplemented } from './errors.js';
import { parseJsonObject, sendJson } from './http-io.js';
import { MultipartMediaExtractor, multipartBoundary } from './multipart-related.js';
import { checkObjectName, objectResource, writableMetadata } from './object-record.js';
import { removeQuietly, removeWhenClosed } from '@lading/emulator-kit';
import { checkPreconditions, preconditionsFrom } from './preconditions.js';
import { initiateResumableUpload } from './resumable-upload.js';

/** `POST /upload/storage/v1/b/:bucket/o?uploadType=…`: one of the three upload protocols. */
export async function insertObject(context: RequestContext): Promise<void> {
  const uploadType = context.url.searchParams.get('uploadType');
  if (uploadType === 'media') return simpleUpload(context, 'media');
  if (uploadType === 'multipart') return simpleUpload(context, 'multipart');
  if (uploadType === 'resumable') return initiateResumableUpload(context);
  throw notImplemented(`objects.insert with uploadType=${String(uploadType)}`);
}

/**
 * A whole object in one request: the body itself (`media`, name and preconditions in the
 * query), or `multipart/related` with the JSON resource first. The bytes stream to a new data
 * file, hashed on the way; the object only appears when they are all there.
 */
async function simpleUpload(context: RequestContext, type: 'media' | 'multipart'): Promise<void> {
  const { req, res, url, emulator } = context;
  const { store } = emulator;
  const bucket = requireParam(context, 'bucket');
  store.requireBucket(bucket);
  const preconditions = preconditionsFrom(url.searchParams);
  // Fail before reading the body when the answer is known already (ifGenerationMatch=0);
  // commit() checks again, as another writer may come first.
  const queryName = url.searchParams.get('name');
  if (queryName !== null) checkPreconditions(preconditions, store.get(bucket, queryName));

  const extractor =
    type === 'multipart'
      ? new MultipartMediaExtractor(multipartBoundary(req.headers['content-type']))
      : undefined;
  const hasher = ObjectHasher.create();
  const data = store.newDataFile();
  const stages: Transform[] = extractor === undefined ? [] : [extractor];
  const sink = createWriteStream(data.path);
  try {
    await pipeline([req, ...stages, hashingStream(hasher), sink]);
  } catch (error) {
    await removeWhenClosed(sink, data.path);
    throw error;
  }

  try {
    const resource =
      extractor === undefined ? {} : parseJsonObject(extractor.metadata().metadataJson);
    const name = queryName ?? (typeof resource.name === 'string' ? resource.name : undefined);
    if (name === undefined) throw badRequest('Required parameter: name', 'required');
    checkObjectName(name);
    const metadata = writableMetadata(resource);
    metadata.contentType ??=
      (extractor === undefined
        ? req.headers['content-type']
        : extractor.metadata().mediaContentType) ?? 'application/octet-stream';
    const checksums = hasher.digest();
    checkClaimedChecksums(
      [parseGoogHash(req.headers['x-goog-hash']), claimedInMetadata(resource)],
      checksums,
    );
    const record = await store.commit(
      { bucket, name, dataFile: data.name, size: hasher.length, checksums, metadata },
      preconditions,
    );
    sendJson(res, 200, objectResource(record, emulator.endpoint));
  } catch (error) {
    // commit() removes the file itself; this covers a refusal before it.
    await removeQuietly(data.path);
    throw error;
  }
}
