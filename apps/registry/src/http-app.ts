import { randomUUID } from 'node:crypto';
import { matchRoute } from '@lading/registry-api';
import express, { type Express, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import type { StorageHealth } from './health.js';
import type { RegistryMetrics } from './metrics.js';

export interface HttpAppParts {
  readonly router: Router;
  /** Other services on the same port, each at its path (the token endpoint). */
  readonly routes: readonly { readonly path: string; readonly router: Router }[];
  readonly logger: Logger;
  readonly metrics: RegistryMetrics;
  readonly health: StorageHealth;
  /** `http.prefix`: where the API is mounted. */
  readonly prefix: string;
  /** `http.headers`: added to every response. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly accessLog: boolean;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The main application: request ids, access log, metrics, health, then the registry API. */
export function createHttpApp(parts: HttpAppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((request, response, next) => {
    const given = request.headers['x-request-id'];
    const requestId =
      typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    response.locals.requestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    for (const [name, values] of Object.entries(parts.headers))
      response.setHeader(name, [...values]);
    observe(parts, request, response);
    next();
  });
  app.get('/debug/health', (_request, response) => {
    response.status(parts.health.healthy ? 200 : 503).json(parts.health.report());
  });
  // Other services first: the token endpoint does not depend on the registry's storage.
  for (const { path, router } of parts.routes) app.use(path, router);
  app.use((_request, response, next) => {
    if (parts.health.healthy) {
      next();
      return;
    }
    response.status(503).json({
      errors: [
        { code: 'UNAVAILABLE', message: 'service unavailable', detail: parts.health.report() },
      ],
    });
  });
  app.use(parts.prefix, parts.router);
  app.use((_request, response) => {
    response.status(404).type('text/plain').send('404 page not found\n');
  });
  return app;
}

/** Access log and metrics for one request, written when its response is finished. */
function observe(parts: HttpAppParts, request: Request, response: Response): void {
  const started = process.hrtime.bigint();
  const bytesReadBefore = request.socket.bytesRead;
  const bytesWrittenBefore = request.socket.bytesWritten;
  const path = request.path.startsWith(parts.prefix)
    ? `/${request.path.slice(parts.prefix.length)}`.replace(/^\/+/, '/')
    : request.path;
  const route = matchRoute(path)?.route ?? 'other';
  const isUpload = route === 'upload' || (route === 'uploads' && request.method === 'POST');
  if (isUpload) parts.metrics.uploadsInFlight.inc();
  response.once('close', () => {
    if (isUpload) parts.metrics.uploadsInFlight.dec();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = String(response.statusCode);
    const bytesIn = request.socket.bytesRead - bytesReadBefore;
    const bytesOut = request.socket.bytesWritten - bytesWrittenBefore;
    parts.metrics.requests.inc({ route, method: request.method, status });
    parts.metrics.latency.observe({ route, method: request.method }, seconds);
    parts.metrics.bytesIn.inc({ route }, Math.max(0, bytesIn));
    parts.metrics.bytesOut.inc({ route }, Math.max(0, bytesOut));
    if (!parts.accessLog) return;
    parts.logger.info(
      {
        requestId: response.locals.requestId as string,
        method: request.method,
        // The path only: query strings carry upload state and tokens.
        path: request.path,
        route,
        status: response.statusCode,
        durationMs: Math.round(seconds * 1000),
        bytesIn,
        bytesOut,
        remoteAddress: request.socket.remoteAddress,
        userAgent: request.headers['user-agent'],
        completed: response.writableFinished,
      },
      'request',
    );
  });
}
