import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that passed the proxy. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Body bytes the client sent. */
  bodyBytes: number;
  /** What the proxy did with it. */
  readonly outcome: 'forwarded' | 'failed-503' | 'reset' | 'answered';
}

export type Fault = '503' | 'reset';

/** A local answer instead of the store's, for requests a real store here cannot take. */
export type Interceptor = (
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
) => { status: number; headers?: Record<string, string>; body?: string } | undefined;

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: point the client here instead of at the store. */
  readonly endpoint: string;
  readonly requests: SeenRequest[];
  /** The next `count` requests fail with `fault` instead of reaching the store. */
  failNext(count: number, fault: Fault): void;
  /** Drops the faults `failNext` queued that no request has met yet. */
  clearFaults(): void;
  intercept(interceptor: Interceptor | undefined): void;
  /**
   * Answers the first request that `matches` with `answer` instead of the store, once; the
   * rest go through. Replaces any interceptor.
   */
  answerOnce(
    matches: (method: string, url: string) => boolean,
    answer: { status: number; headers?: Record<string, string>; body?: string },
  ): void;
  close(): Promise<void>;
}

// An S3-style throttling answer; other stores' clients retry a 503 by its status alone.
const slowDown =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>' +
  '<Message>Please reduce your request rate.</Message></Error>';

/**
 * An HTTP proxy in front of a real object store (Swift's s3api, Azurite, …)
 * that records every request (method, URL, headers, body size) and can fail
 * the next ones as a busy or broken store would, or answer them itself.
 * Headers pass unchanged, so signatures made for the proxy's address (SigV4)
 * or over the path (Azure's SharedKey) still verify at the store.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  const faults: Fault[] = [];
  let interceptor: Interceptor | undefined;
  const server = createServer((incoming, response) => {
    const method = incoming.method ?? 'GET';
    const url = incoming.url ?? '/';
    const fault = faults.shift();
    const local = fault === undefined ? interceptor?.(method, url, incoming.headers) : undefined;
    const outcome =
      fault === '503'
        ? 'failed-503'
        : fault === 'reset'
          ? 'reset'
          : local
            ? 'answered'
            : 'forwarded';
    const seen: SeenRequest = { method, url, headers: incoming.headers, bodyBytes: 0, outcome };
    requests.push(seen);
    incoming.on('data', (chunk: Buffer) => {
      seen.bodyBytes += chunk.length;
    });
    if (fault === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (fault === '503' || local !== undefined) {
      incoming.resume();
      incoming.on('end', () => {
        const answer = local ?? { status: 503, body: slowDown };
        response.writeHead(answer.status, answer.headers ?? { 'content-type': 'application/xml' });
        response.end(answer.body ?? '');
      });
      return;
    }
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method,
        path: url,
        headers: incoming.headers,
      },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    incoming.pipe(forwarded);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${String(port)}`,
    requests,
    failNext(count, fault) {
      for (let index = 0; index < count; index++) faults.push(fault);
    },
    clearFaults() {
      faults.length = 0;
    },
    intercept(next) {
      interceptor = next;
    },
    answerOnce(matches, answer) {
      let answered = false;
      interceptor = (method, url) => {
        if (answered || !matches(method, url)) return undefined;
        answered = true;
        return answer;
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
