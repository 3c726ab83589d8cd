import type { Request, Response } from 'express';
import type { TokenPrincipal } from './authorizer.js';
import { isTokenInvalidError } from './errors.js';
import { formatScopes, parseScopes } from './scope.js';
import { oauthError, type TokenEndpoint } from './token-endpoint.js';
import { clientIdPattern } from './token-request.js';

/**
 * `POST <realm>` with an `application/x-www-form-urlencoded` body, the
 * OAuth2 variant (distribution `spec/auth/oauth.md`, RFC 6749 §4.3 and §6).
 * Wrong credentials and unusable refresh tokens are `400 invalid_grant`, as
 * RFC 6749 §5.2 has it (401 `invalid_client` is for client authentication,
 * which docker clients do not do).
 */
export async function handleOAuthRequest(
  endpoint: TokenEndpoint,
  request: Request,
  response: Response,
): Promise<void> {
  const body: unknown = request.body;
  if (request.is('application/x-www-form-urlencoded') === false || !isForm(body)) {
    oauthError(
      response,
      400,
      'invalid_request',
      'expected an application/x-www-form-urlencoded body',
    );
    return;
  }
  const repeated = Object.keys(body).find((name) => typeof body[name] !== 'string');
  if (repeated !== undefined) {
    // RFC 6749 §3.1: parameters must not be sent more than once.
    oauthError(
      response,
      400,
      'invalid_request',
      `parameter ${JSON.stringify(repeated)} is repeated`,
    );
    return;
  }
  const form = body as Record<string, string | undefined>;
  const { grant_type: grantType, service, client_id: clientId } = form;
  if (grantType === undefined || service === undefined || clientId === undefined) {
    oauthError(
      response,
      400,
      'invalid_request',
      '"grant_type", "service" and "client_id" are required',
    );
    return;
  }
  if (!endpoint.services.includes(service)) {
    oauthError(
      response,
      400,
      'invalid_request',
      `unknown service; known: ${endpoint.services.join(', ')}`,
    );
    return;
  }
  if (!clientIdPattern.test(clientId)) {
    oauthError(response, 400, 'invalid_request', '"client_id" must be printable ASCII');
    return;
  }

  let principal: TokenPrincipal | undefined;
  if (grantType === 'password') {
    const { username, password } = form;
    if (username === undefined || username === '' || password === undefined) {
      oauthError(response, 400, 'invalid_request', '"username" and "password" are required');
      return;
    }
    principal = await endpoint.authorizer.authenticate(username, password);
    if (principal === undefined) {
      oauthError(response, 400, 'invalid_grant', 'invalid username or password');
      return;
    }
  } else if (grantType === 'refresh_token') {
    const refreshToken = form.refresh_token;
    if (refreshToken === undefined) {
      oauthError(response, 400, 'invalid_request', '"refresh_token" is required');
      return;
    }
    let subject: string;
    let credential: string | undefined;
    try {
      ({ subject, credential } = endpoint.issuer.verifyRefreshToken(refreshToken, service));
    } catch (error) {
      if (!isTokenInvalidError(error)) throw error;
      oauthError(response, 400, 'invalid_grant', error.message);
      return;
    }
    // Re-resolve the account: one removed since the refresh token was made gets nothing.
    principal = await endpoint.authorizer.resolve(subject, credential);
    if (principal === undefined) {
      oauthError(
        response,
        400,
        'invalid_grant',
        'the account of this refresh token may no longer sign in',
      );
      return;
    }
  } else {
    oauthError(
      response,
      400,
      'unsupported_grant_type',
      'grant_type must be password or refresh_token',
    );
    return;
  }

  const issued = await endpoint.grant(principal, parseScopes(form.scope), service);
  response.json({
    access_token: issued.token,
    scope: formatScopes(issued.granted),
    expires_in: issued.expiresIn,
    issued_at: issued.issuedAt,
    ...(form.access_type === 'offline'
      ? {
          refresh_token: endpoint.issuer.issueRefreshToken({
            subject: principal.name,
            ...(principal.credential === undefined ? {} : { credential: principal.credential }),
            service,
            lifetimeSeconds: endpoint.refreshTokenLifetimeSeconds,
          }),
        }
      : {}),
  });
}

function isForm(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null;
}
