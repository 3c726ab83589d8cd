import type { Request } from 'express';

export interface UrlOptions {
  /** `http.host`: the registry's external base URL; wins over everything the request says. */
  readonly host?: string;
  /** `http.relativeurls`: send `Location` as a path only. */
  readonly relativeUrls?: boolean;
}

/**
 * Builds the URLs the registry hands out (`Location`, `Link`), as distribution
 * does: `http.host` if set; else, as a TLS-offloading proxy says,
 * `X-Forwarded-Proto` and the first `X-Forwarded-Host`; else the request's
 * own scheme and `Host`. The mount prefix (`http.prefix`) is kept.
 */
export function urlFor(request: Request, path: string, options: UrlOptions): string {
  const fullPath = `${request.baseUrl}${path}`;
  if (options.relativeUrls === true) return fullPath;
  return `${baseOf(request, options)}${fullPath}`;
}

function baseOf(request: Request, options: UrlOptions): string {
  if (options.host !== undefined && options.host !== '') return options.host.replace(/\/+$/, '');
  const tls = 'encrypted' in request.socket && request.socket.encrypted === true;
  const proto = firstValue(request.headers['x-forwarded-proto']) ?? (tls ? 'https' : 'http');
  const forwardedHost = firstValue(request.headers['x-forwarded-host']);
  const host = forwardedHost ?? request.headers.host ?? 'localhost';
  return `${proto}://${host}`;
}

function firstValue(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
}
