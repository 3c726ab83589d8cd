import { requireParam, type RequestContext } from './context.js';
import { badRequest } from './errors.js';
import { sendEmpty, sendJson } from './http-io.js';
import { sendMedia } from './media-download.js';
import { objectResource, type ObjectRecord } from './object-record.js';
import { checkPreconditions, preconditionsFrom } from './preconditions.js';

/**
 * `GET /storage/v1/b/:bucket/o/:object`: the object resource, or with `alt=media` its bytes.
 * `generation` names the live generation or nothing (404): there is no versioning here.
 */
export async function getObject(context: RequestContext): Promise<void> {
  const { url, res, emulator } = context;
  const alt = url.searchParams.get('alt') ?? 'json';
  const lookup = liveObject(context);
  if (alt === 'media') return sendMedia(context.req, res, emulator.store, lookup);
  if (alt !== 'json') throw badRequest(`Invalid value for alt: ${alt}`);
  sendJson(res, 200, objectResource(lookup(), emulator.endpoint));
}

/** `GET /download/storage/v1/b/:bucket/o/:object`: the mediaLink of a resource; bytes only. */
export function downloadObject(context: RequestContext): Promise<void> {
  return sendMedia(context.req, context.res, context.emulator.store, liveObject(context));
}

/** `DELETE /storage/v1/b/:bucket/o/:object`: 204, or 404, or 412 on a failed precondition. */
export async function deleteObject(context: RequestContext): Promise<void> {
  const { url, res, emulator } = context;
  const bucket = requireParam(context, 'bucket');
  const name = requireParam(context, 'object');
  emulator.store.require(bucket, name, url.searchParams.get('generation'));
  await emulator.store.delete(bucket, name, preconditionsFrom(url.searchParams));
  sendEmpty(res, 204);
}

/** Looks the object up (again, if a writer replaced it meanwhile) and checks read conditions. */
function liveObject(context: RequestContext): () => ObjectRecord {
  const { url, emulator } = context;
  const bucket = requireParam(context, 'bucket');
  const name = requireParam(context, 'object');
  const preconditions = preconditionsFrom(url.searchParams);
  return () => {
    const record = emulator.store.require(bucket, name, url.searchParams.get('generation'));
    checkPreconditions(preconditions, record, { read: true });
    return record;
  };
}
