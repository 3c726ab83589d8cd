import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { requireParam, type Emulator, type RequestContext } from './context.js';
import { badRequest } from './errors.js';
import { readJsonObject, sendJson } from './http-io.js';
import {
  checkObjectName,
  hasWritableMetadata,
  objectResource,
  pickWritableMetadata,
  writableMetadata,
  type ObjectRecord,
} from './object-record.js';
import { checkPreconditions, preconditionsFrom, type Preconditions } from './preconditions.js';

const mebibyte = 1024 * 1024;

/** Where a multi-call rewrite stands; the rewriteToken is this, base64url-encoded JSON. */
interface RewriteToken {
  job: string;
  sourceBucket: string;
  sourceName: string;
  sourceGeneration: string;
  destinationBucket: string;
  destinationName: string;
  /** Bytes already copied into the job's file. */
  done: number;
}

/**
 * `POST …/o/:object/rewriteTo/b/:destinationBucket/o/:destinationObject`. With
 * `maxBytesRewrittenPerCall` (a multiple of 1 MiB, as GCS demands) smaller than what is left,
 * a call copies that much and answers `done: false` with a `rewriteToken` to pass to the next
 * call, so a client's multi-call loop is exercised; otherwise one call finishes the copy.
 */
export async function rewriteObject(context: RequestContext): Promise<void> {
  const { url, res, emulator } = context;
  const request = await copyRequest(context);
  try {
    const maxPerCall = parseMaxBytes(url.searchParams.get('maxBytesRewrittenPerCall'));
    const tokenText = url.searchParams.get('rewriteToken');
    const token = tokenText === null ? newToken(request) : readToken(tokenText, request);
    const jobPath = join(emulator.store.directory, 'rewrites', `${token.job}.data`);
    const size = request.source.size;
    const until = Math.min(size, token.done + maxPerCall);
    await copyRange(request.file, jobPath, token.done, until);

    const response: Record<string, unknown> = {
      kind: 'storage#rewriteResponse',
      totalBytesRewritten: String(until),
      objectSize: String(size),
      done: until === size,
    };
    if (until < size) {
      const next: RewriteToken = { ...token, done: until };
      response.rewriteToken = Buffer.from(JSON.stringify(next)).toString('base64url');
    } else {
      const record = await commitCopy(emulator, request, jobPath);
      response.resource = objectResource(record, emulator.endpoint);
    }
    sendJson(res, 200, response);
  } finally {
    await request.file.close();
  }
}

/** `POST …/o/:object/copyTo/b/:destinationBucket/o/:destinationObject`: the object resource at once. */
export async function copyObject(context: RequestContext): Promise<void> {
  const { res, emulator } = context;
  const request = await copyRequest(context);
  try {
    const jobPath = join(emulator.store.directory, 'rewrites', `${randomUUID()}.data`);
    await copyRange(request.file, jobPath, 0, request.source.size);
    const record = await commitCopy(emulator, request, jobPath);
    sendJson(res, 200, objectResource(record, emulator.endpoint));
  } finally {
    await request.file.close();
  }
}

interface CopyRequest {
  source: ObjectRecord;
  /** The source's data file, opened: the caller closes it. */
  file: FileHandle;
  destinationBucket: string;
  destinationName: string;
  /** The request body's metadata if it has any, else the source's. */
  metadata: ReturnType<typeof pickWritableMetadata>;
  destinationPreconditions: Preconditions;
}

/**
 * The checked source (its data file opened: the caller closes it), destination and metadata
 * of a rewrite or copy.
 */
async function copyRequest(context: RequestContext): Promise<CopyRequest> {
  const { req, url, emulator } = context;
  const { store } = emulator;
  const sourceBucket = requireParam(context, 'bucket');
  const sourceName = requireParam(context, 'object');
  const destinationBucket = requireParam(context, 'destinationBucket');
  const destinationName = requireParam(context, 'destinationObject');
  store.requireBucket(destinationBucket);
  checkObjectName(destinationName);
  const requested = writableMetadata(await readJsonObject(req));
  const destinationPreconditions = preconditionsFrom(url.searchParams);
  checkPreconditions(destinationPreconditions, store.get(destinationBucket, destinationName));
  const sourcePreconditions = preconditionsFrom(url.searchParams, 'Source');
  const { record: source, file } = await store.openLive(() => {
    const record = store.require(
      sourceBucket,
      sourceName,
      url.searchParams.get('sourceGeneration'),
    );
    checkPreconditions(sourcePreconditions, record);
    return record;
  });
  const metadata = hasWritableMetadata(requested) ? requested : pickWritableMetadata(source);
  return { source, file, destinationBucket, destinationName, metadata, destinationPreconditions };
}

/** Makes the copied bytes the destination object; its checksums are the source's, byte for byte. */
async function commitCopy(
  emulator: Emulator,
  request: CopyRequest,
  jobPath: string,
): Promise<ObjectRecord> {
  const { store } = emulator;
  const { source } = request;
  const data = store.newDataFile();
  await rename(jobPath, data.path);
  const checksums =
    source.md5Hash === undefined
      ? { crc32c: source.crc32c }
      : { crc32c: source.crc32c, md5Hash: source.md5Hash };
  return store.commit(
    {
      bucket: request.destinationBucket,
      name: request.destinationName,
      dataFile: data.name,
      size: source.size,
      checksums,
      componentCount: source.componentCount,
      metadata: request.metadata,
    },
    request.destinationPreconditions,
  );
}

/**
 * Copies bytes `from` to `until` of the source into the job file at the same offsets. A token
 * replayed after a lost answer copies its range again: the same bytes, so no harm.
 */
async function copyRange(
  source: FileHandle,
  jobPath: string,
  from: number,
  until: number,
): Promise<void> {
  // Only an empty source copies nothing: every token is issued with bytes still to go.
  if (until === from) {
    await writeFile(jobPath, '');
    return;
  }
  if (from > 0 && (await sizeOf(jobPath)) < from) throw badRequest('Invalid rewrite token.');
  const output = createWriteStream(jobPath, { flags: from === 0 ? 'w' : 'r+', start: from });
  await pipeline(
    source.createReadStream({ start: from, end: until - 1, autoClose: false }),
    output,
  );
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return -1;
  }
}

function parseMaxBytes(value: string | null): number {
  if (value === null) return Number.POSITIVE_INFINITY;
  const bytes = Number(value);
  if (!/^\d+$/.test(value) || bytes === 0 || bytes % mebibyte !== 0) {
    throw badRequest(
      `maxBytesRewrittenPerCall must be an integral multiple of ${String(mebibyte)}.`,
    );
  }
  return bytes;
}

function newToken(request: CopyRequest): RewriteToken {
  return {
    job: randomUUID(),
    sourceBucket: request.source.bucket,
    sourceName: request.source.name,
    sourceGeneration: request.source.generation,
    destinationBucket: request.destinationBucket,
    destinationName: request.destinationName,
    done: 0,
  };
}

/** A token from an earlier call of this same rewrite; 400 for any other. */
function readToken(text: string, request: CopyRequest): RewriteToken {
  let token: RewriteToken;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as RewriteToken;
  } catch {
    throw badRequest('Invalid rewrite token.');
  }
  const matches =
    typeof token.job === 'string' &&
    /^[0-9a-f-]{36}$/.test(token.job) &&
    Number.isInteger(token.done) &&
    token.done >= 0 &&
    token.done < request.source.size &&
    token.sourceBucket === request.source.bucket &&
    token.sourceName === request.source.name &&
    token.sourceGeneration === request.source.generation &&
    token.destinationBucket === request.destinationBucket &&
    token.destinationName === request.destinationName;
  if (!matches) throw badRequest('Invalid rewrite token.');
  return token;
}
