import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors.js';

// The teeny-request inside the SDK parses a body as JSON only for exactly these two content
// types (lower-case utf-8); anything else reaches the caller as a string.
const jsonType = 'application/json; charset=utf-8';
// Object metadata is at most a few KiB in GCS (custom metadata is capped at 8 KiB); a bound
// keeps a wrong client from filling memory.
const maxJsonBody = 1024 * 1024;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': jsonType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A response with no body, e.g. 204 or 308. */
export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

/** The request's JSON body as an object; `{}` for an empty body. 400 if it is not an object. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxJsonBody) throw badRequest('The JSON request body is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  return parseJsonObject(text);
}

export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Parse Error', 'parseError');
  }
  if (!isRecord(parsed)) throw badRequest('The request body must be a JSON object.');
  return parsed;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and drops what is left of a request body, so the connection can be reused. */
export async function drain(req: IncomingMessage): Promise<void> {
  for await (const _chunk of req) {
    // Dropped.
  }
}
