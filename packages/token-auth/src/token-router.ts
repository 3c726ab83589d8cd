import express, { Router, type ErrorRequestHandler } from 'express';
import { debuglog } from 'node:util';
import { grantWithin, type Authorizer } from './authorizer.js';
import { basicChallenge } from './challenge.js';
import type { TokenIssuer } from './issuer.js';
import { maxBodyBytes, oauthError, registryError, type TokenEndpoint } from './token-endpoint.js';
import { handleOAuthRequest } from './token-oauth.js';
import { handleTokenRequest } from './token-request.js';

const debug = debuglog('lading:token-auth');

export interface TokenRouterOptions {
  readonly issuer: TokenIssuer;
  readonly authorizer: Authorizer;
  /** The audiences tokens are issued for (a registry's `auth.token.service`). */
  readonly services: readonly string[];
  /** How long a refresh token lasts. Default 30 days. */
  readonly refreshTokenLifetimeSeconds?: number;
  /** The realm of the `Basic` challenge sent with a 401. Default `Lading token service`. */
  readonly realm?: string;
  /**
   * Told of every 500 with the error behind it, for logging. The router
   * itself logs nothing of it: an authorizer's error could quote credentials.
   */
  readonly onServerError?: (error: unknown) => void;
}

/**
 * The token endpoint of Docker's token authentication, to mount where a
 * registry's `realm` points (GitLab: `/jwt/auth`): `GET` with HTTP Basic
 * credentials or none (distribution `spec/auth/token.md`), and the OAuth2
 * `POST` with `grant_type=password` or `refresh_token` (`spec/auth/oauth.md`).
 * Every answer is `Cache-Control: no-store`; no password or token is logged.
 */
export function createTokenRouter(options: TokenRouterOptions): Router {
  if (options.services.length === 0 || options.services.includes('')) {
    throw new TypeError('services must list the audiences tokens are issued for');
  }
  if (options.services.includes(options.issuer.issuer)) {
    // Refresh tokens have the issuer as audience; a service of that name would accept them.
    throw new TypeError(`a service must not be named like the issuer (${options.issuer.issuer})`);
  }
  const refreshTokenLifetimeSeconds = options.refreshTokenLifetimeSeconds ?? 30 * 24 * 60 * 60;
  if (!Number.isInteger(refreshTokenLifetimeSeconds) || refreshTokenLifetimeSeconds < 60) {
    throw new TypeError('refreshTokenLifetimeSeconds must be a whole number of at least 60');
  }
  const endpoint: TokenEndpoint = {
    issuer: options.issuer,
    authorizer: options.authorizer,
    services: options.services,
    refreshTokenLifetimeSeconds,
    basicChallenge: basicChallenge(options.realm ?? 'Lading token service'),
    async grant(principal, requested, service) {
      // The policy's answer is cut to what was asked, so it can never widen a token.
      const granted = grantWithin(
        await options.authorizer.authorize(principal, requested),
        requested,
      );
      const lifetimeSeconds = await options.authorizer.tokenLifetimeSeconds?.();
      const issued = options.issuer.issue({
        audience: service,
        access: granted,
        ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
        ...(principal === undefined ? {} : { subject: principal.name }),
      });
      debug(
        'token for %s on %s: %d of %d resources granted',
        principal?.name ?? '(anonymous)',
        service,
        granted.length,
        requested.length,
      );
      return { ...issued, granted };
    },
  };

  const router = Router();
  router.use((_request, response, next) => {
    // RFC 6749 §5.1: responses holding tokens must not be cached.
    response.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    next();
  });
  router.get('/', (request, response) => handleTokenRequest(endpoint, request, response));
  router.post(
    '/',
    express.urlencoded({ extended: false, limit: maxBodyBytes, parameterLimit: 32 }),
    (request, response) => handleOAuthRequest(endpoint, request, response),
  );
  router.use(errorHandler(options.onServerError));
  return router;
}

/**
 * Oversized or unreadable form bodies (body-parser's 4xx; GET has no body to
 * fail on) are OAuth2 `invalid_request`; anything else is a 500 that says
 * nothing of its cause.
 */
function errorHandler(onServerError: ((error: unknown) => void) | undefined): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = status === 413 ? 'request body too large' : 'request body unreadable';
      oauthError(response, status, 'invalid_request', message);
      return;
    }
    onServerError?.(error);
    if (request.method === 'POST') oauthError(response, 500, 'server_error', 'internal error');
    else registryError(response, 500, 'UNKNOWN', 'internal error');
  };
}
