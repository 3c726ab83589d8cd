import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  checkClaimedChecksums,
  claimedInMetadata,
  hashFile,
  hashingStream,
  ObjectHasher,
  parseGoogHash,
  type Checksums,
} from './checksums.js';
import { ChunkSlicer } from './chunk-slicer.js';
import { parseUploadRange, type UploadRange } from './content-range.js';
import { requireParam, type Emulator, type RequestContext } from './context.js';
import { badRequest, GcsError } from './errors.js';
import { readJsonObject, sendEmpty, sendJson } from './http-io.js';
import {
  checkObjectName,
  objectResource,
  writableMetadata,
  type ObjectRecord,
  type WritableMetadata,
} from './object-record.js';
import { KeyedLock, removeQuietly, writeJsonAtomically } from '@lading/emulator-kit';
import type { ObjectStore } from './object-store.js';
import { checkPreconditions, preconditionsFrom } from './preconditions.js';

// GCS wants every chunk but the last to carry at least 256 KiB ("required to be equal or
// greater than 262144, except for the final request (it's recommended to be the exact multiple
// of 262144)", says its error), and may keep less than a chunk carried: the 308's Range says
// how much, and clients resend from there, as the SDK does. Here a larger chunk keeps its
// whole multiples of 256 KiB, so a driver that ignores Range fails here rather than on GCS.
const quantum = 256 * 1024;
const uploadIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

/** A resumable upload session as kept on disk: `uploads/<id>.json` beside `uploads/<id>.data`. */
interface Session {
  id: string;
  bucket: string;
  name: string;
  metadata: WritableMetadata;
  /** Hashes the initiating request claimed, checked at the end. */
  claimed: Partial<Checksums>;
  /** X-Upload-Content-Length, if the client announced the size. */
  expectedSize?: number;
  /** The initiating query's preconditions, checked again when the object is committed. */
  preconditionQuery: string;
  /** Bytes stored so far: the data file may hold more, from a chunk that did not complete. */
  persisted: number;
  state: 'open' | 'cancelled' | 'done' | 'failed';
  /** Once done: the object resource, answered again to any later request. */
  resource?: Record<string, unknown>;
  /** Once failed: the error, answered again to any later request. */
  failure?: { status: number; reason: string; message: string };
}

/**
 * The sessions, all on disk: any client that has the session URI may continue it, in any
 * process, and sessions outlive an emulator restart on the same directory. Only the running
 * MD5/CRC32C of each session is in memory; after a restart the final chunk hashes the file.
 */
export class UploadSessions {
  private readonly locks = new KeyedLock();
  private readonly hashers = new Map<string, ObjectHasher>();

  constructor(readonly store: ObjectStore) {}

  private get directory(): string {
    return join(this.store.directory, 'uploads');
  }

  dataPath(id: string): string {
    return join(this.directory, `${id}.data`);
  }

  async create(session: Omit<Session, 'id' | 'persisted' | 'state'>): Promise<Session> {
    const id = randomBytes(24).toString('base64url');
    const created: Session = { ...session, id, persisted: 0, state: 'open' };
    await writeFile(this.dataPath(id), '');
    await this.save(created);
    return created;
  }

  /** Runs `work` on the session, one request at a time per session; 404 if there is none. */
  withSession<T>(id: string | null, work: (session: Session) => Promise<T>): Promise<T> {
    if (id === null || !uploadIdPattern.test(id)) throw noSuchUpload();
    return this.locks.run(id, async () => {
      let text: string;
      try {
        text = await readFile(join(this.directory, `${id}.json`), 'utf8');
      } catch {
        throw noSuchUpload();
      }
      return work(JSON.parse(text) as Session);
    });
  }

  async save(session: Session): Promise<void> {
    await writeJsonAtomically(join(this.directory, `${session.id}.json`), session);
  }

  /** The running hash of the session if it covers exactly `persisted` bytes. */
  hasherAt(session: Session): ObjectHasher | undefined {
    const hasher = this.hashers.get(session.id);
    if (hasher?.length === session.persisted) return hasher;
    return session.persisted === 0 ? ObjectHasher.create() : undefined;
  }

  setHasher(id: string, hasher: ObjectHasher | undefined): void {
    if (hasher === undefined) this.hashers.delete(id);
    else this.hashers.set(id, hasher);
  }
}

/**
 * `POST …/o?uploadType=resumable`: starts a session. The body is the object resource (its
 * `name` is used when the query has none); `X-Upload-Content-Type` gives the content type when
 * the resource does not. Answers 200 with the session URI in `Location`, on the `Host` the
 * request was sent to.
 */
export async function initiateResumableUpload(context: RequestContext): Promise<void> {
  const { req, res, url, emulator } = context;
  const bucket = requireParam(context, 'bucket');
  emulator.store.requireBucket(bucket);
  const resource = await readJsonObject(req);
  const name = url.searchParams.get('name') ?? resource.name;
  if (typeof name !== 'string') throw badRequest('Required parameter: name', 'required');
  checkObjectName(name);
  const metadata = writableMetadata(resource);
  metadata.contentType ??= headerValue(req.headers['x-upload-content-type']);
  const expected = headerValue(req.headers['x-upload-content-length']);
  const preconditions = preconditionsFrom(url.searchParams);
  // Checked now to fail early, and again at the end against whatever is live then.
  checkPreconditions(preconditions, emulator.store.get(bucket, name));
  const session = await emulator.sessions.create({
    bucket,
    name,
    metadata,
    claimed: claimedInMetadata(resource),
    expectedSize: expected === undefined ? undefined : Number(expected),
    preconditionQuery: new URLSearchParams(
      [...url.searchParams].filter(([key]) => key.startsWith('if')),
    ).toString(),
  });
  // On the host the client reached, as GCS answers on its own: a client behind a proxy
  // keeps going through it.
  const origin = req.headers.host === undefined ? emulator.endpoint : `http://${req.headers.host}`;
  const location = new URL(`${origin}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o`);
  location.search = new URLSearchParams({
    uploadType: 'resumable',
    name,
    upload_id: session.id,
  }).toString();
  sendEmpty(res, 200, { Location: location.href, 'X-GUploader-UploadID': session.id });
}

/** `PUT <session URI>`: a chunk, a final chunk, or a status query (see content-range.ts). */
export async function putToSession(context: RequestContext): Promise<void> {
  const { emulator, url } = context;
  await emulator.sessions.withSession(url.searchParams.get('upload_id'), async (session) => {
    if (session.state === 'done' && session.resource !== undefined) {
      sendJson(context.res, 200, session.resource);
      return;
    }
    if (session.state !== 'open') throw closedSessionError(session);
    const range = parseUploadRange(headerValue(context.req.headers['content-range']));
    if (range.kind === 'query') {
      await answerQuery(context, session, range.total);
      return;
    }
    const final = await writeChunk(context, session, range);
    if (final) await finalize(context, session);
    else sendIncomplete(context, session);
  });
}

/**
 * `DELETE <session URI>`: cancels the session and drops its bytes. GCS answers 499 to the
 * DELETE and to every later request on the session.
 */
export async function cancelSession(context: RequestContext): Promise<void> {
  const { emulator, url, res } = context;
  await emulator.sessions.withSession(url.searchParams.get('upload_id'), async (session) => {
    if (session.state === 'open') {
      await removeQuietly(emulator.sessions.dataPath(session.id));
      emulator.sessions.setHasher(session.id, undefined);
      await emulator.sessions.save({ ...session, state: 'cancelled' });
    }
    sendEmpty(res, 499);
  });
}

async function answerQuery(
  context: RequestContext,
  session: Session,
  total: number | undefined,
): Promise<void> {
  if (total === undefined || total > session.persisted) {
    sendIncomplete(context, session);
    return;
  }
  if (total < session.persisted) {
    throw badRequest(
      `The total size ${String(total)} is less than the ${String(session.persisted)} bytes already uploaded.`,
    );
  }
  // `bytes */TOTAL` with TOTAL already stored: the empty final chunk.
  await finalize(context, session);
}

/**
 * Stores the new bytes of a chunk at the end of the session's data: those before `persisted`
 * (a resent overlap) are skipped, as GCS keeps only what it lacks; a chunk that starts past
 * the end is refused, as there would be a hole. Returns whether this chunk ends the upload.
 */
async function writeChunk(
  context: RequestContext,
  session: Session,
  range: Exclude<UploadRange, { kind: 'query' }>,
): Promise<boolean> {
  const { req, emulator } = context;
  const { persisted } = session;
  if (range.first > persisted) {
    throw badRequest(
      `Invalid request. According to the Content-Range header, the upload offset is ` +
        `${String(range.first)} byte(s), which exceeds the already uploaded size of ${String(persisted)} byte(s).`,
    );
  }
  const plan = chunkPlan(range, persisted);
  const declared = headerValue(req.headers['content-length']);
  if (plan.length !== undefined && declared !== undefined && Number(declared) !== plan.length) {
    throw badRequest(
      `Content-Length ${declared} does not match Content-Range ${String(req.headers['content-range'])}.`,
    );
  }

  const start = emulator.sessions.hasherAt(session);
  const hasher = start?.copy();
  const slicer = new ChunkSlicer(range.first < persisted ? persisted - range.first : 0, plan.keep);
  const stages = hasher === undefined ? [slicer] : [slicer, hashingStream(hasher)];
  const path = emulator.sessions.dataPath(session.id);
  await pipeline([req, ...stages, createWriteStream(path, { flags: 'r+', start: persisted })]);

  if (plan.length !== undefined && slicer.received !== plan.length) {
    throw badRequest(
      `The request body has ${String(slicer.received)} bytes; Content-Range says ${String(plan.length)}.`,
    );
  }
  const end = range.kind === 'rest' ? Math.max(persisted, range.first + slicer.received) : plan.end;
  if (range.kind === 'rest' && range.total !== undefined && end !== range.total) {
    throw badRequest(
      `The upload holds ${String(end)} bytes, not the ${String(range.total)} announced.`,
    );
  }
  session.persisted = Math.max(persisted, end);
  emulator.sessions.setHasher(session.id, hasher);
  await emulator.sessions.save(session);
  return plan.final;
}

interface ChunkPlan {
  /** The body's length as the range gives it; undefined for `a-*`. */
  length: number | undefined;
  /** How many new bytes (past the skipped overlap) to keep. */
  keep: number;
  /** Where the stored data ends afterwards (for `a-*`, computed from the body). */
  end: number;
  final: boolean;
}

function chunkPlan(range: Exclude<UploadRange, { kind: 'query' }>, persisted: number): ChunkPlan {
  if (range.kind === 'rest') {
    return { length: undefined, keep: Number.POSITIVE_INFINITY, end: persisted, final: true };
  }
  const length = range.last - range.first + 1;
  const final = range.total !== undefined && range.last + 1 === range.total;
  if (final) {
    if (range.last + 1 < persisted) {
      throw badRequest(
        `The total size ${String(range.last + 1)} is less than the ${String(persisted)} bytes already uploaded.`,
      );
    }
    return { length, keep: range.last + 1 - persisted, end: range.last + 1, final };
  }
  if (length < quantum) {
    throw badRequest(
      `Invalid request. The number of bytes uploaded is required to be equal or greater than ` +
        `${String(quantum)}, except for the final request. The request contained ${String(length)} bytes.`,
    );
  }
  const end = Math.max(persisted, Math.floor((range.last + 1) / quantum) * quantum);
  return { length, keep: end - persisted, end, final };
}

/** 308 with the stored range; no Range header while nothing is stored, as GCS does. */
function sendIncomplete(context: RequestContext, session: Session): void {
  const headers: Record<string, string> =
    session.persisted > 0 ? { Range: `bytes=0-${String(session.persisted - 1)}` } : {};
  sendEmpty(context.res, 308, headers);
}

/**
 * Makes the stored bytes the object: checks the size the client announced and the hashes it
 * claimed, then moves the data file into the store (a rename, no copy) and commits. The
 * session keeps the outcome, so a client that lost the answer gets it again.
 */
async function finalize(context: RequestContext, session: Session): Promise<void> {
  const { emulator, req, res } = context;
  try {
    const record = await commitSession(
      emulator,
      session,
      parseGoogHash(req.headers['x-goog-hash']),
    );
    session.state = 'done';
    session.resource = objectResource(record, emulator.endpoint);
  } catch (error) {
    if (!(error instanceof GcsError)) throw error;
    session.state = 'failed';
    session.failure = { status: error.status, reason: error.reason, message: error.message };
    // Refused before the rename (a bad hash, a wrong size): the bytes are of no more use.
    await removeQuietly(emulator.sessions.dataPath(session.id));
    throw error;
  } finally {
    emulator.sessions.setHasher(session.id, undefined);
    if (session.state !== 'open') await emulator.sessions.save(session);
  }
  sendJson(res, 200, session.resource);
}

async function commitSession(
  emulator: Emulator,
  session: Session,
  claimedNow: Partial<Checksums>,
): Promise<ObjectRecord> {
  const { sessions, store } = emulator;
  const size = session.persisted;
  if (session.expectedSize !== undefined && session.expectedSize !== size) {
    throw badRequest(
      `The upload holds ${String(size)} bytes; X-Upload-Content-Length said ${String(session.expectedSize)}.`,
    );
  }
  const path = sessions.dataPath(session.id);
  // Bytes past `persisted` are the remains of a chunk that did not complete.
  await truncate(path, size);
  const running = sessions.hasherAt(session);
  const checksums = running === undefined ? await hashFile(path, size) : running.digest();
  checkClaimedChecksums([claimedNow, session.claimed], checksums);
  const data = store.newDataFile();
  await rename(path, data.path);
  return store.commit(
    {
      bucket: session.bucket,
      name: session.name,
      dataFile: data.name,
      size,
      checksums,
      metadata: session.metadata,
    },
    preconditionsFrom(new URLSearchParams(session.preconditionQuery)),
  );
}

function closedSessionError(session: Session): GcsError {
  if (session.state === 'failed' && session.failure !== undefined) {
    const { status, reason, message } = session.failure;
    return new GcsError(status, reason, message);
  }
  return new GcsError(499, 'clientClosedRequest', 'The upload session was cancelled.');
}

function noSuchUpload(): GcsError {
  return new GcsError(404, 'notFound', 'No such upload session.');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
