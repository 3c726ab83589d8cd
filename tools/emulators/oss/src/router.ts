import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { debuglog } from 'node:util';
import { resolveAddress, type Address } from './addressing.js';
import { authenticate } from './authenticate.js';
import { putBucket } from './buckets.js';
import type { Emulator, RequestContext } from './context.js';
import { copyObject } from './copy-object.js';
import { httpDate } from './dates.js';
import { deleteMultipleObjects, deleteObject } from './delete-objects.js';
import { OssError, notImplemented } from './errors.js';
import { getObject, getObjectMeta } from './get-object.js';
import { header } from './http-io.js';
import { listObjects } from './list-objects.js';
import { rejectUnemulatedHeaders } from './metadata.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  initiateMultipartUpload,
  uploadPart,
} from './multipart.js';
import { listMultipartUploads, listParts } from './multipart-listing.js';
import { putObject } from './put-object.js';
import { signedSubResources } from './sub-resources.js';
import { element, elements, group, xmlDocument } from './xml.js';

const debug = debuglog('lading:oss-emulator');

type Handler = (context: RequestContext) => Promise<void> | void;

/**
 * The calls ali-oss 6.23 makes for a storage driver, by what OSS routes on: the level addressed
 * (service, bucket, object), the method and the sub-resources in the query. Anything else is
 * 501 naming the call.
 */
const operations: Readonly<Record<string, Handler>> = {
  'bucket PUT': putBucket,
  'bucket GET': listObjects,
  'bucket GET uploads': listMultipartUploads,
  'bucket POST delete': deleteMultipleObjects,
  'object PUT': (context) =>
    header(context.req, 'x-oss-copy-source') === undefined
      ? putObject(context)
      : copyObject(context),
  'object PUT partNumber&uploadId': uploadPart,
  'object GET': getObject,
  'object HEAD': getObject,
  'object HEAD objectMeta': getObjectMeta,
  'object GET uploadId': listParts,
  'object DELETE': deleteObject,
  'object DELETE uploadId': abortMultipartUpload,
  'object POST uploads': initiateMultipartUpload,
  'object POST uploadId': completeMultipartUpload,
};

// OSS's names for calls a driver might reach for, so the 501 says which one it was.
const unemulatedNames: Readonly<Record<string, string>> = {
  'service GET': 'ListBuckets',
  'bucket DELETE': 'DeleteBucket',
  'bucket GET bucketInfo': 'GetBucketInfo',
  'bucket GET location': 'GetBucketLocation',
  'bucket GET versions': 'ListObjectVersions',
  'object POST append&position': 'AppendObject',
  'object GET acl': 'GetObjectACL',
  'object PUT acl': 'PutObjectACL',
  'object GET symlink': 'GetSymlink',
  'object PUT symlink': 'PutSymlink',
  'object GET tagging': 'GetObjectTagging',
  'object PUT tagging': 'PutObjectTagging',
  'object POST restore': 'RestoreObject',
};

// Query parameters that OSS signs but that select no other call.
const modifiers = new Set(['continuation-token', 'x-oss-traffic-limit', 'x-oss-request-payer']);

/** Answers one request; resolves when the answer is sent (or the client is gone). */
export async function handleRequest(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomBytes(12).toString('hex').toUpperCase();
  res.setHeader('x-oss-request-id', requestId);
  res.setHeader('server', 'AliyunOSS');
  res.setHeader('date', httpDate(Date.now()));
  try {
    // The path as sent: URL parsing would resolve `..` segments, which may be part of a key.
    const [path = '/', search = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
    const query = new URLSearchParams(search);
    const address = resolveAddress(header(req, 'host'), path);
    authenticate({ req, query, address }, emulator.authority);
    rejectUnemulatedHeaders(req);
    await route(req.method ?? 'GET', address, query)({ req, res, query, address, emulator });
    debug('%s %s -> %d', req.method, req.url, res.statusCode);
  } catch (error) {
    try {
      sendError(req, res, error, requestId);
    } catch {
      // The connection is gone; nothing left to tell.
      res.destroy();
    }
  }
}

function route(method: string, address: Address, query: URLSearchParams): Handler {
  const level = address.bucket === undefined ? 'service' : address.key === '' ? 'bucket' : 'object';
  const subResources = [...new Set(query.keys())]
    .filter(
      (name) =>
        signedSubResources.has(name) && !name.startsWith('response-') && !modifiers.has(name),
    )
    .sort();
  const call = [level, method, subResources.join('&')].join(' ').trim();
  const handler = operations[call];
  if (handler !== undefined) return handler;
  const target = `${method} /${level === 'object' ? '<key>' : ''}${subResources.length > 0 ? `?${subResources.join('&')}` : ''}`;
  const name = unemulatedNames[call];
  throw notImplemented(name === undefined ? target : `${name} (${target})`);
}

/**
 * Writes OSS's error answer. HEAD gets no body, as HTTP wants: the XML goes base64-encoded in
 * `x-oss-err`, which is where ali-oss looks for it. A stream already under way can only be cut.
 */
function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
  requestId: string,
): void {
  debug('%s %s -> %s', req.method, req.url, error instanceof Error ? error.message : String(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const ossError = error instanceof OssError ? error : internalError(req, error);
  if (ossError.status === 304) {
    res.writeHead(304);
    res.end();
  } else {
    const body = xmlDocument(
      group('Error', [
        ...elements({ Code: ossError.code, Message: ossError.message, RequestId: requestId }),
        element('HostId', header(req, 'host') ?? ''),
        ...elements(ossError.details),
      ]),
    );
    const headers = { ...ossError.headers, 'content-type': 'application/xml' };
    if (req.method === 'HEAD') {
      res.writeHead(ossError.status, {
        ...headers,
        'x-oss-err': Buffer.from(body).toString('base64'),
      });
      res.end();
    } else {
      res.writeHead(ossError.status, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  }
  // Read what the client is still sending, so it gets this answer rather than a reset.
  if (!req.complete && !req.destroyed) req.resume();
}

/** A bug here, not a client's mistake: say so loudly, on stderr too. */
function internalError(req: IncomingMessage, error: unknown): OssError {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(
    `oss-emulator: ${String(req.method)} ${String(req.url)} failed: ${message}\n`,
  );
  return new OssError(500, 'InternalError', `Internal error: ${String(error)}`);
}
