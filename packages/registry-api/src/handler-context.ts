import type { RegistryEngine, RequestContext } from '@lading/registry-engine';
import type { AccessController, Principal } from '@lading/token-auth';
import type { Request, Response } from 'express';
import type { UploadStateCodec } from './upload-state.js';
import type { UrlOptions } from './urls.js';

/** Everything a handler needs, besides the request. */
export interface HandlerContext {
  readonly engine: RegistryEngine;
  readonly access: AccessController;
  readonly states: UploadStateCodec;
  readonly urls: UrlOptions;
  readonly settings: RouterSettings;
}

export interface RouterSettings {
  /** Refuse every write (`storage.maintenance.readonly`). */
  readonly readOnly: boolean;
  /** Send clients to the storage for blob downloads when it can (`storage.redirect.disable` off). */
  readonly redirect: boolean;
  /** Largest page of the catalog (`catalog.maxentries`); also its default. */
  readonly catalogMaxEntries: number;
  /** Default page of the catalog. */
  readonly catalogDefaultEntries: number;
  /** Largest page of tags (`tags.maxtags`). */
  readonly maxTags: number;
  /** Largest manifest read from a request. */
  readonly maxManifestSize: number;
}

/** One matched request. */
export interface Exchange {
  readonly request: Request;
  readonly response: Response;
  readonly name: string;
  readonly target: string;
  readonly principal: Principal;
}

/** What the engine passes into events about this request. */
export function requestContext(exchange: Exchange): RequestContext {
  const { request, response, principal } = exchange;
  const requestId = response.locals.requestId as unknown;
  return {
    ...(typeof requestId === 'string' ? { requestId } : {}),
    ...(principal.name === undefined ? {} : { actor: principal.name }),
    ...(request.socket.remoteAddress === undefined
      ? {}
      : { remoteAddress: request.socket.remoteAddress }),
    ...(request.headers.host === undefined ? {} : { host: request.headers.host }),
    method: request.method,
    ...(request.headers['user-agent'] === undefined
      ? {}
      : { userAgent: request.headers['user-agent'] }),
  };
}
