import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError, invalidDigest } from './errors.js';
import { xmlDocument } from './xml.js';

export type Headers = Readonly<Record<string, string>>;

export function sendXml(
  res: ServerResponse,
  status: number,
  root: string,
  headers: Headers = {},
): void {
  const body = xmlDocument(root);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** A response with no body, e.g. 204, or 200 to a PutObject. */
export function sendEmpty(res: ServerResponse, status: number, headers: Headers = {}): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

/**
 * A small request body (an XML document) in memory, at most `limit` bytes: the part list of
 * 10,000 parts or the key list of 1,000 keys fits well within 2 MiB.
 */
export async function readSmallBody(
  req: IncomingMessage,
  limit = 2 * 1024 * 1024,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) {
      throw new OssError(
        400,
        'InvalidArgument',
        `The request body is larger than ${String(limit)} bytes.`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads and drops what is left of a request body, so the connection can be reused. */
export async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // Dropped.
  }
}

/** One request header's value (the first, if it was sent twice). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a body's MD5 against the request's `Content-MD5` (base64 of the 16 bytes), when one was
 * sent: a mismatch, or a value that is no MD5 at all, is 400 InvalidDigest.
 */
export function checkContentMd5(req: IncomingMessage, md5: Buffer): void {
  const sent = header(req, 'content-md5');
  if (sent === undefined) return;
  if (!Buffer.from(sent, 'base64').equals(md5)) throw invalidDigest();
}

export function md5Of(bytes: Buffer): Buffer {
  return createHash('md5').update(bytes).digest();
}
