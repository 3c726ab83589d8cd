import { once } from 'node:events';
import {
  Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body; empty when `onBody` took it. */
  body: Buffer;
}

export interface HttpRequest {
  method: string;
  url: string;
  agent: Agent;
  headers?: OutgoingHttpHeaders;
  /**
   * A buffer is sent with its Content-Length; pieces are written one after another, respecting
   * backpressure, and the caller sets Content-Length.
   */
  body?: Buffer | Iterable<Buffer>;
  /** Takes each piece of the response body as it arrives, instead of collecting it. */
  onBody?: (piece: Buffer) => void;
}

/** A keep-alive agent: every workload reuses its connections, as a registry client does. */
export function keepAliveAgent(maxSockets = 32): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
}

/** One HTTP/1.1 request with node:http, the client every workload and limit uses. */
export async function send(options: HttpRequest): Promise<HttpResponse> {
  const { body } = options;
  const headers: OutgoingHttpHeaders = { ...options.headers };
  if (Buffer.isBuffer(body)) headers['content-length'] = body.length;
  else if (body === undefined && ['PUT', 'POST', 'PATCH'].includes(options.method)) {
    headers['content-length'] ??= 0;
  }
  const request = httpRequest(options.url, {
    method: options.method,
    agent: options.agent,
    headers,
  });
  const answered = new Promise<HttpResponse>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', (response) => {
      const pieces: Buffer[] = [];
      response.on('data', (piece: Buffer) => {
        if (options.onBody === undefined) pieces.push(piece);
        else options.onBody(piece);
      });
      response.once('error', reject);
      // A connection closed halfway through the body (after 'end', this does nothing).
      response.once('close', () => {
        if (!response.complete)
          reject(new Error('the response ended before its body was complete'));
      });
      response.once('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(pieces),
        });
      });
    });
  });
  // A server may answer (e.g. with an error) before it has read the body; the answer wins.
  const sent = writeBody(request, body).catch(() => undefined);
  const response = await answered;
  await sent;
  return response;
}

async function writeBody(
  request: ReturnType<typeof httpRequest>,
  body: Buffer | Iterable<Buffer> | undefined,
): Promise<void> {
  if (body === undefined || Buffer.isBuffer(body)) {
    request.end(body);
    return;
  }
  for (const piece of body) {
    if (!request.write(piece)) {
      await Promise.race([once(request, 'drain'), once(request, 'close')]);
      if (request.destroyed) return;
    }
  }
  request.end();
}

/** Runs `task(0..count-1)` with at most `concurrency` at once; the first failure rejects. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const index = next;
      next += 1;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
