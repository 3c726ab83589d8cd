import type { Request, Response } from 'express';
import type { TokenPrincipal } from './authorizer.js';
import { basicCredentials } from './basic-credentials.js';
import { parseScopes } from './scope.js';
import { maxUrlLength, registryError, type TokenEndpoint } from './token-endpoint.js';

/** RFC 6749 Appendix A.1: `client_id` is printable ASCII; longer ones are not real clients. */
export const clientIdPattern = /^[\x20-\x7e]{1,256}$/;

/**
 * `GET <realm>?service=…&scope=…&account=…&offline_token=true&client_id=…`
 * with HTTP Basic credentials, or none for anonymous access.
 *
 * An unknown `service` is a 400 with a message, where GitLab sends an empty
 * 404: the client is told what is wrong, and a 404 is what OAuth2 clients
 * read as "no POST support here", which this endpoint has.
 */
export async function handleTokenRequest(
  endpoint: TokenEndpoint,
  request: Request,
  response: Response,
): Promise<void> {
  if (request.originalUrl.length > maxUrlLength) {
    registryError(response, 414, 'INVALID_REQUEST', 'request URL too long');
    return;
  }
  const query = request.query as Record<string, unknown>;
  const { service, account, offline_token: offline, client_id: clientId } = query;
  if (typeof service !== 'string' || !endpoint.services.includes(service)) {
    const message =
      service === undefined
        ? 'the "service" parameter is required'
        : `unknown service ${JSON.stringify(service).slice(0, 100)}; known: ${endpoint.services.join(', ')}`;
    registryError(response, 400, 'INVALID_REQUEST', message);
    return;
  }
  if (clientId !== undefined && (typeof clientId !== 'string' || !clientIdPattern.test(clientId))) {
    registryError(response, 400, 'INVALID_REQUEST', '"client_id" must be printable ASCII');
    return;
  }
  if (account !== undefined && typeof account !== 'string') {
    registryError(response, 400, 'INVALID_REQUEST', '"account" must be given once');
    return;
  }

  const credentials = basicCredentials(request.headers.authorization);
  let principal: TokenPrincipal | undefined;
  if (credentials.kind === 'invalid') {
    unauthorized(endpoint, response, 'unreadable credentials; send HTTP Basic or none');
    return;
  }
  // podman and buildah send empty Basic credentials before a login: that is anonymous.
  if (
    credentials.kind === 'basic' &&
    (credentials.username !== '' || credentials.password !== '')
  ) {
    principal = await endpoint.authorizer.authenticate(credentials.username, credentials.password);
    if (principal === undefined) {
      unauthorized(endpoint, response, 'invalid username or password');
      return;
    }
    // Without credentials `account` proves nothing and is ignored, as GitLab does.
    if (account !== undefined && account !== credentials.username) {
      unauthorized(endpoint, response, '"account" is not the user of the credentials');
      return;
    }
  }

  const scopes = [query.scope].flat().filter((value) => typeof value === 'string');
  const issued = await endpoint.grant(principal, parseScopes(scopes), service);
  const wantsRefresh = typeof offline === 'string' && offline.toLowerCase() === 'true';
  response.json({
    token: issued.token,
    access_token: issued.token,
    expires_in: issued.expiresIn,
    issued_at: issued.issuedAt,
    // Anonymous access has nobody to refresh for.
    ...(wantsRefresh && principal !== undefined
      ? {
          refresh_token: endpoint.issuer.issueRefreshToken({
            subject: principal.name,
            service,
            lifetimeSeconds: endpoint.refreshTokenLifetimeSeconds,
          }),
        }
      : {}),
  });
}

function unauthorized(endpoint: TokenEndpoint, response: Response, message: string): void {
  response.set('WWW-Authenticate', endpoint.basicChallenge);
  registryError(response, 401, 'UNAUTHORIZED', message);
}
