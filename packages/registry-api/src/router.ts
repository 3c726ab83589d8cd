import { randomBytes } from 'node:crypto';
import { validateRepositoryName } from '@lading/oci';
import { defaultMaxManifestSize, type RegistryEngine } from '@lading/registry-engine';
import { allowAll, type AccessController } from '@lading/token-auth';
import { Router, type Request, type Response } from 'express';
import { accessFor } from './access.js';
import { deleteBlob, getBlob, headBlob } from './blob-handlers.js';
import { errorMiddleware, type ErrorReporter } from './error-middleware.js';
import type { Exchange, HandlerContext, RouterSettings } from './handler-context.js';
import { RegistryHttpError } from './http-errors.js';
import { listCatalog, listReferrers, listTags } from './listing-handlers.js';
import { deleteManifest, getManifest, putManifest } from './manifest-handlers.js';
import { matchRoute, type RouteMatch, type RouteName } from './routes.js';
import {
  cancelUpload,
  completeUpload,
  patchUpload,
  startUpload,
  uploadStatus,
} from './upload-handlers.js';
import { UploadStateCodec } from './upload-state.js';
import type { UrlOptions } from './urls.js';

export interface RegistryRouterOptions extends UrlOptions {
  /**
   * `http.secret`: signs upload URLs. Replicas behind one load balancer must
   * share it; when absent, a random one is made and uploads survive only on
   * this process.
   */
  readonly secret?: string;
  /** Who may do what. Default: everyone, anonymously. */
  readonly accessController?: AccessController;
  readonly readOnly?: boolean;
  /** Redirect blob downloads to the storage when it offers URLs. Default true. */
  readonly redirect?: boolean;
  /** `catalog.maxentries`. Default 1000. */
  readonly catalogMaxEntries?: number;
  /** `tags.maxtags`. Default 1000. */
  readonly maxTags?: number;
  /** Largest manifest accepted. Default 4 MiB (keep equal to the engine's). */
  readonly maxManifestSize?: number;
  /** Told of every 5xx, with the error behind it (for logging). */
  readonly onServerError?: ErrorReporter;
}

type Handler = (context: HandlerContext, exchange: Exchange) => Promise<void>;

const handlers: Record<RouteName, Partial<Record<string, Handler>>> = {
  base: { GET: baseHandler, HEAD: baseHandler },
  catalog: { GET: listCatalog },
  tags: { GET: listTags },
  manifest: { GET: getManifest, HEAD: getManifest, PUT: putManifest, DELETE: deleteManifest },
  blob: { GET: getBlob, HEAD: headBlob, DELETE: deleteBlob },
  uploads: { POST: startUpload },
  upload: {
    GET: uploadStatus,
    HEAD: uploadStatus,
    PATCH: patchUpload,
    PUT: completeUpload,
    DELETE: cancelUpload,
  },
  referrers: { GET: listReferrers },
};

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The OCI Distribution / Docker Registry HTTP API v2 over `engine`, as an
 * Express router serving `/v2/…`. Mount it where the registry lives
 * (`app.use(prefix, router)`); it knows no config file and no backend.
 */
export function createRegistryRouter(
  engine: RegistryEngine,
  options: RegistryRouterOptions = {},
): Router {
  const settings: RouterSettings = {
    readOnly: options.readOnly ?? false,
    redirect: options.redirect ?? true,
    catalogMaxEntries: options.catalogMaxEntries ?? 1000,
    catalogDefaultEntries: Math.min(100, options.catalogMaxEntries ?? 1000),
    maxTags: options.maxTags ?? 1000,
    maxManifestSize: options.maxManifestSize ?? defaultMaxManifestSize,
  };
  const context: HandlerContext = {
    engine,
    access: options.accessController ?? allowAll,
    states: new UploadStateCodec(options.secret ?? randomBytes(32).toString('hex')),
    urls: {
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.relativeUrls === undefined ? {} : { relativeUrls: options.relativeUrls }),
    },
    settings,
  };
  const router = Router();
  router.use((request, response, next) => {
    response.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const match = matchRoute(request.path);
    if (match === undefined) {
      next();
      return;
    }
    return dispatch(context, match, request, response);
  });
  router.use(errorMiddleware(options.onServerError));
  return router;
}

async function dispatch(
  context: HandlerContext,
  match: RouteMatch,
  request: Request,
  response: Response,
): Promise<void> {
  const handler = handlers[match.route][request.method];
  if (handler === undefined) {
    throw new RegistryHttpError(
      'UNSUPPORTED',
      `${request.method} is not allowed on ${request.path}`,
    );
  }
  if (match.name !== undefined) validateRepositoryName(match.name);
  if (context.settings.readOnly && writeMethods.has(request.method)) {
    throw new RegistryHttpError('UNSUPPORTED', 'the registry is in read-only mode for maintenance');
  }
  const principal = await context.access.authorize(
    {
      method: request.method,
      headers: request.headers,
      // Express's own `secure` ignores X-Forwarded-Proto unless "trust proxy" is set.
      protocol: 'encrypted' in request.socket ? 'https' : 'http',
      ...(request.socket.remoteAddress === undefined
        ? {}
        : { remoteAddress: request.socket.remoteAddress }),
    },
    accessFor(match, request.method),
  );
  await handler(context, {
    request,
    response,
    name: match.name ?? '',
    target: match.target ?? '',
    principal,
  });
}

async function baseHandler(_context: HandlerContext, exchange: Exchange): Promise<void> {
  exchange.response.status(200).type('application/json');
  if (exchange.request.method === 'HEAD') exchange.response.end();
  else exchange.response.send('{}');
  await Promise.resolve();
}
