import { BlobRangeNotSatisfiableError, pipeRecycling } from '@lading/registry-engine';
import { parseByteRange } from './byte-range.js';
import { requestContext, type Exchange, type HandlerContext } from './handler-context.js';

/** `HEAD /v2/<name>/blobs/<digest>`: size and digest, no body. */
export async function headBlob(context: HandlerContext, exchange: Exchange): Promise<void> {
  const descriptor = await context.engine.repository(exchange.name).blobs.stat(exchange.target);
  blobHeaders(exchange, descriptor.digest, descriptor.size);
  exchange.response.status(200).end();
}

/**
 * `GET /v2/<name>/blobs/<digest>`: a 307 to the storage when it offers a URL
 * (and redirects are on), else the bytes — all of them, or the one `Range`
 * asked for (206). The stream stops when the client leaves.
 */
export async function getBlob(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  const blobs = context.engine.repository(exchange.name).blobs;
  if (context.settings.redirect) {
    const url = await blobs.redirectURL(exchange.target, 'GET');
    if (url !== undefined) {
      response.status(307).setHeader('Location', url);
      response.setHeader('Docker-Content-Digest', exchange.target);
      response.end();
      return;
    }
  }
  const descriptor = await blobs.stat(exchange.target);
  const range = parseByteRange(request.headers.range, descriptor.size);
  if (range.kind === 'unsatisfiable') {
    throw new BlobRangeNotSatisfiableError(descriptor.digest, descriptor.size, descriptor.size);
  }
  const offset = range.kind === 'part' ? range.start : 0;
  const length = range.kind === 'part' ? range.end - range.start + 1 : descriptor.size;
  const { stream } = await blobs.open(exchange.target, {
    offset,
    length,
    context: requestContext(exchange),
  });
  blobHeaders(exchange, descriptor.digest, length);
  if (range.kind === 'part') {
    response
      .status(206)
      .setHeader(
        'Content-Range',
        `bytes ${String(range.start)}-${String(range.end)}/${String(descriptor.size)}`,
      );
  } else {
    response.status(200);
  }
  await pipeRecycling(stream, response);
}

/** `DELETE /v2/<name>/blobs/<digest>`: unlinks the blob from the repository. */
export async function deleteBlob(context: HandlerContext, exchange: Exchange): Promise<void> {
  await context.engine
    .repository(exchange.name)
    .blobs.delete(exchange.target, requestContext(exchange));
  exchange.response.status(202).setHeader('Content-Length', '0');
  exchange.response.end();
}

function blobHeaders(exchange: Exchange, digest: string, length: number): void {
  const { response } = exchange;
  response.setHeader('Content-Length', String(length));
  response.setHeader('Content-Type', 'application/octet-stream');
  response.setHeader('Docker-Content-Digest', digest);
  response.setHeader('ETag', `"${digest}"`);
  response.setHeader('Accept-Ranges', 'bytes');
  // Content-addressed: the bytes at this URL never change.
  response.setHeader('Cache-Control', 'max-age=31536000');
}
