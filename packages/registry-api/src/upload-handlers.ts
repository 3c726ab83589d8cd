import { isRepositoryName } from '@lading/oci';
import { isEngineError, type UploadStatus } from '@lading/registry-engine';
import { isAuthorizationError } from '@lading/token-auth';
import { requestContext, type Exchange, type HandlerContext } from './handler-context.js';
import { RegistryHttpError } from './http-errors.js';
import { hasBody, queryValue } from './request-body.js';
import { rangeHeader } from './upload-headers.js';
import { urlFor } from './urls.js';

/**
 * `POST /v2/<name>/blobs/uploads/`: a cross-repository mount (`mount` and
 * `from`, 201), a monolithic upload (`digest`, 201), or a new session (202).
 * A mount that cannot happen — no such blob, or no pull access to the source —
 * quietly becomes a new session, as the spec allows.
 */
export async function startUpload(context: HandlerContext, exchange: Exchange): Promise<void> {
  const repository = context.engine.repository(exchange.name);
  const mount = queryValue(exchange.request, 'mount');
  const from = queryValue(exchange.request, 'from');
  if (mount !== undefined && from !== undefined && isRepositoryName(from)) {
    const mounted = await tryMount(context, exchange, mount, from);
    if (mounted) return;
  }
  const digest = queryValue(exchange.request, 'digest');
  if (digest !== undefined) {
    const blob = await repository.uploads.upload(exchange.request, {
      digest,
      context: requestContext(exchange),
    });
    created(context, exchange, blob.digest);
    return;
  }
  uploadAccepted(context, exchange, await repository.uploads.start(), 202);
}

async function tryMount(
  context: HandlerContext,
  exchange: Exchange,
  digest: string,
  from: string,
): Promise<boolean> {
  try {
    await context.access.authorize(authRequest(exchange), [
      { type: 'repository', name: from, actions: ['pull'] },
    ]);
    const blob = await context.engine
      .repository(exchange.name)
      .blobs.mount(digest, from, requestContext(exchange));
    created(context, exchange, blob.digest);
    return true;
  } catch (error) {
    if (
      isAuthorizationError(error) ||
      isEngineError(error, 'BLOB_UNKNOWN') ||
      isInvalidDigest(error)
    )
      return false;
    throw error;
  }
}

/** `GET /v2/<name>/blobs/uploads/<id>`: where the upload stands (any URL of it, even a stale one). */
export async function uploadStatus(context: HandlerContext, exchange: Exchange): Promise<void> {
  const status = await context.engine.repository(exchange.name).uploads.status(exchange.target);
  uploadAccepted(context, exchange, status, 204);
}

/**
 * `PATCH /v2/<name>/blobs/uploads/<id>`: a chunk. With `Content-Range`, it
 * must start at the current size (else 416) and match `Content-Length`; without,
 * it is a streamed append. The URL's signed state must be this upload's, at
 * the size the upload has — a replayed stale URL gets 416.
 */
export async function patchUpload(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request } = exchange;
  const state = context.states.unpack(
    queryValue(request, '_state'),
    exchange.name,
    exchange.target,
  );
  const uploads = context.engine.repository(exchange.name).uploads;
  const range = parseContentRange(
    request.headers['content-range'],
    request.headers['content-length'],
  );
  const offset = range?.start ?? state.Offset;
  if (offset !== state.Offset) {
    throw new RegistryHttpError(
      'RANGE_INVALID',
      `the chunk starts at ${String(offset)}, the upload URL at ${String(state.Offset)}`,
    );
  }
  const status = await uploads.append(exchange.target, offset, request);
  uploadAccepted(context, exchange, status, 202);
}

/** `PUT /v2/<name>/blobs/uploads/<id>?digest=`: completes the upload, with an optional last chunk. */
export async function completeUpload(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request } = exchange;
  const state = context.states.unpack(
    queryValue(request, '_state'),
    exchange.name,
    exchange.target,
  );
  const digest = queryValue(request, 'digest');
  if (digest === undefined)
    throw new RegistryHttpError(
      'DIGEST_INVALID',
      'digest missing: complete an upload with ?digest=',
    );
  parseContentRange(request.headers['content-range'], request.headers['content-length']);
  const uploads = context.engine.repository(exchange.name).uploads;
  // The upload must hold what the URL's state says (else 416 with its Range), checked under its lock.
  const blob = await uploads.complete(exchange.target, digest, {
    offset: state.Offset,
    ...(hasBody(request) ? { finalChunk: request } : {}),
    context: requestContext(exchange),
  });
  created(context, exchange, blob.digest);
}

/** `DELETE /v2/<name>/blobs/uploads/<id>`: cancels the upload. */
export async function cancelUpload(context: HandlerContext, exchange: Exchange): Promise<void> {
  await context.engine.repository(exchange.name).uploads.cancel(exchange.target);
  exchange.response.status(204).setHeader('Docker-Upload-UUID', exchange.target);
  exchange.response.end();
}

function uploadAccepted(
  context: HandlerContext,
  exchange: Exchange,
  status: UploadStatus,
  code: 202 | 204,
): void {
  const state = context.states.pack({
    Name: exchange.name,
    UUID: status.id,
    Offset: status.size,
    StartedAt: status.startedAt.toISOString(),
  });
  const path = `/v2/${exchange.name}/blobs/uploads/${status.id}?_state=${encodeURIComponent(state)}`;
  const { response } = exchange;
  response.status(code);
  response.setHeader('Location', urlFor(exchange.request, path, context.urls));
  response.setHeader('Range', rangeHeader(status.size));
  response.setHeader('Docker-Upload-UUID', status.id);
  response.setHeader('Content-Length', '0');
  response.end();
}

function created(context: HandlerContext, exchange: Exchange, digest: string): void {
  const { response } = exchange;
  response.status(201);
  response.setHeader(
    'Location',
    urlFor(exchange.request, `/v2/${exchange.name}/blobs/${digest}`, context.urls),
  );
  response.setHeader('Docker-Content-Digest', digest);
  response.setHeader('Content-Length', '0');
  response.end();
}

/**
 * `Content-Range: <start>-<end>` (inclusive, no `bytes ` prefix), checked
 * against `Content-Length`: a mismatch is `SIZE_INVALID`, a malformed range
 * `RANGE_INVALID`.
 */
function parseContentRange(
  header: string | undefined,
  length: string | undefined,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (match === null)
    throw new RegistryHttpError(
      'RANGE_INVALID',
      `Content-Range ${JSON.stringify(header)} is not <start>-<end>`,
    );
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end < start)
    throw new RegistryHttpError('RANGE_INVALID', `Content-Range ${header} ends before it starts`);
  if (length !== undefined && Number(length) !== end - start + 1) {
    throw new RegistryHttpError(
      'SIZE_INVALID',
      `Content-Length ${length} does not match Content-Range ${header}`,
    );
  }
  return { start, end };
}

function authRequest(exchange: Exchange) {
  return {
    method: exchange.request.method,
    headers: exchange.request.headers,
    ...(exchange.request.socket.remoteAddress === undefined
      ? {}
      : { remoteAddress: exchange.request.socket.remoteAddress }),
  };
}

function isInvalidDigest(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'DIGEST_INVALID'
  );
}
