import type { Request } from 'express';

/** True when the request carries a body (a length above zero, or a chunked one). */
export function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * Reads a small body (a manifest) whole, refusing more than `limit` bytes
 * without reading them: the client's declared length is checked first, and
 * reading stops as soon as the stream passes the limit. The request is left
 * intact (not destroyed), so the refusal can still be answered; Node discards
 * the rest of the body.
 */
export function readBody(
  request: Request,
  limit: number,
  tooLarge: (size: number) => Error,
): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.reject(tooLarge(declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        stop();
        request.pause();
        reject(tooLarge(size));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** A query parameter as one string; of a repeated one, the first (as Go's FormValue does). */
export function queryValue(request: Request, name: string): string | undefined {
  const value: unknown = request.query[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}
