import type { IncomingMessage, ServerResponse } from 'node:http';
import { debuglog } from 'node:util';
import { getBucket, insertBucket } from './buckets.js';
import { composeObject } from './compose.js';
import type { Emulator, RequestContext } from './context.js';
import { badRequest, GcsError, notImplemented, XmlApiError } from './errors.js';
import { sendEmpty, sendJson } from './http-io.js';
import { listObjects } from './listing.js';
import { deleteObject, downloadObject, getObject } from './objects.js';
import { cancelSession, putToSession } from './resumable-upload.js';
import { copyObject, rewriteObject } from './rewrite.js';
import { serveSignedUrl } from './signed-urls.js';
import { insertObject } from './simple-upload.js';

const debug = debuglog('lading:gcs-emulator');

type Handler = (context: RequestContext) => Promise<void>;

/** A route: `:name` matches one path segment (decoded), `*name` all the rest joined by `/`. */
interface Route {
  methods: readonly string[];
  pattern: readonly string[];
  handler: Handler;
  /** Errors are answered as the XML API does, for signed URLs. */
  xml?: boolean;
}

const object = ['storage', 'v1', 'b', ':bucket', 'o', ':object'];
const destination = ['b', ':destinationBucket', 'o', ':destinationObject'];
const upload = ['upload', 'storage', 'v1', 'b', ':bucket', 'o'];

// The JSON API subset @google-cloud/storage 7.22 uses, and signed URL reads. Object names in
// JSON API paths are one URL-encoded segment (`%2F` for `/`), as the SDK sends them.
const routes: readonly Route[] = [
  { methods: ['POST'], pattern: ['storage', 'v1', 'b'], handler: insertBucket },
  { methods: ['GET'], pattern: ['storage', 'v1', 'b', ':bucket'], handler: getBucket },
  { methods: ['GET'], pattern: ['storage', 'v1', 'b', ':bucket', 'o'], handler: listObjects },
  { methods: ['GET'], pattern: object, handler: getObject },
  { methods: ['DELETE'], pattern: object, handler: deleteObject },
  { methods: ['POST'], pattern: [...object, 'compose'], handler: composeObject },
  { methods: ['POST'], pattern: [...object, 'rewriteTo', ...destination], handler: rewriteObject },
  { methods: ['POST'], pattern: [...object, 'copyTo', ...destination], handler: copyObject },
  { methods: ['POST'], pattern: upload, handler: insertObject },
  // The session URI: the same path, with upload_id in the query.
  { methods: ['PUT'], pattern: upload, handler: putToSession },
  { methods: ['DELETE'], pattern: upload, handler: cancelSession },
  { methods: ['GET'], pattern: ['download', ...object], handler: downloadObject },
  { methods: ['GET', 'HEAD'], pattern: [':bucket', '*object'], handler: serveSignedUrl, xml: true },
];

// Paths of the JSON API: never taken for a bucket name on the XML API.
const jsonApiRoots = new Set(['storage', 'upload', 'download']);

/** Answers one request; resolves when the answer is sent (or the client is gone). */
export async function handleRequest(
  emulator: Emulator,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const method = req.method ?? 'GET';
  // The path as sent: URL.pathname would resolve `..` segments, which may be part of a name.
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  let xml = false;
  try {
    const segments = path.split('/').slice(1);
    const found = findRoute(method, segments);
    if (found === undefined) throw notImplemented(`${method} ${path}`);
    xml = found.route.xml === true;
    await found.route.handler({ req, res, url, params: found.params, emulator });
    debug('%s %s -> %d', method, req.url, res.statusCode);
  } catch (error) {
    try {
      sendError(req, res, error, xml);
    } catch {
      // The connection is gone; nothing left to tell.
      res.destroy();
    }
  }
}

function findRoute(
  method: string,
  segments: readonly string[],
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (!route.methods.includes(method)) continue;
    if (route.xml === true && jsonApiRoots.has(segments[0] ?? '')) continue;
    const params = match(route.pattern, segments);
    if (params !== undefined) return { route, params };
  }
  return undefined;
}

function match(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index];
    if (part.startsWith('*')) {
      const rest = segments.slice(index);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      params[part.slice(1)] = rest.map(decodeSegment).join('/');
      return params;
    }
    if (segment === undefined || segment === '') return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = decodeSegment(segment);
    else if (part !== segment) return undefined;
  }
  return segments.length === pattern.length ? params : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Malformed percent-encoding in the path: ${segment}`);
  }
}

/** Writes the error in the API's shape; a stream already under way can only be cut off. */
function sendError(req: IncomingMessage, res: ServerResponse, error: unknown, xml: boolean): void {
  debug('%s %s -> %s', req.method, req.url, error instanceof Error ? error.message : String(error));
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof GcsError && error.status === 304) {
    sendEmpty(res, 304);
  } else if (xml && (error instanceof XmlApiError || error instanceof GcsError)) {
    const xmlError = error instanceof XmlApiError ? error : asXmlError(error);
    const body = xmlError.body();
    const headers = error instanceof GcsError ? error.headers : {};
    res.writeHead(xmlError.status, {
      ...headers,
      'Content-Type': 'application/xml; charset=UTF-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  } else if (error instanceof GcsError) {
    sendJson(res, error.status, error.body(), error.headers);
  } else {
    // A bug here, not a client's mistake: say so loudly, on stderr too.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(
      `gcs-emulator: ${String(req.method)} ${String(req.url)} failed: ${message}\n`,
    );
    sendJson(
      res,
      500,
      new GcsError(500, 'backendError', `Internal error: ${String(error)}`).body(),
    );
  }
  // Read what the client is still sending, so it gets this answer rather than a reset.
  if (!req.complete && !req.destroyed) req.resume();
}

function asXmlError(error: GcsError): XmlApiError {
  if (error.status === 416) {
    return new XmlApiError(416, 'InvalidRange', 'The requested range cannot be satisfied.');
  }
  return new XmlApiError(error.status, error.reason, error.message);
}
