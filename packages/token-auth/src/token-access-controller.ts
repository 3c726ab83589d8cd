import { debuglog } from 'node:util';
import type { Access, AccessController, AuthRequest, Principal } from './access.js';
import { bearerChallenge } from './challenge.js';
import { AuthorizationError, isTokenInvalidError } from './errors.js';
import { maxTokenLength } from './jws.js';
import { formatScopes, satisfies } from './scope.js';
import type { TokenVerifier } from './verifier.js';

const debug = debuglog('lading:token-auth');

export interface TokenAccessControllerOptions {
  /** `auth.token.realm`: the token endpoint clients are sent to. */
  readonly realm: string;
  /** `auth.token.service`: the audience clients ask tokens for. */
  readonly service: string;
  readonly verifier: TokenVerifier;
  /**
   * `autoredirect` (distribution v3): build the realm from the request's
   * `Host` and `X-Forwarded-Proto` (else the request's own `protocol`, else
   * https) plus `path` (default `/auth/token`), for a token endpoint served
   * by the same host.
   */
  readonly autoredirect?: { readonly path?: string };
}

/** `Bearer ` plus the longest token the verifier reads; longer headers are not looked into. */
const maxAuthorizationLength = maxTokenLength + 64;
const bearerPattern = /^bearer +([A-Za-z0-9._~+/-]+=*) *$/i;
const hostPattern = /^(?:[A-Za-z0-9.-]+|\[[A-Fa-f0-9:.]+\])(?::[0-9]{1,5})?$/;

/**
 * Registry-side token authentication (distribution's `token` access
 * controller). Without a bearer token, or with one that does not verify or
 * does not cover what the request needs, the request is refused as
 * `UNAUTHORIZED` with a `Bearer` challenge naming the scope to ask for — plain
 * for a missing token, `error="invalid_token"` or `error="insufficient_scope"`
 * otherwise (distribution answers 401, not 403, for a missing action too).
 */
export function createTokenAccessController(
  options: TokenAccessControllerOptions,
): AccessController {
  const redirectPath = options.autoredirect?.path ?? '/auth/token';
  if (!redirectPath.startsWith('/')) throw new TypeError('autoredirect.path must start with "/"');

  function realmFor(request: AuthRequest): string {
    if (options.autoredirect === undefined) return options.realm;
    const host = single(request.headers.host);
    // A Host that is not a plain host[:port] would make a misleading realm; keep the configured one.
    if (host === undefined || !hostPattern.test(host)) return options.realm;
    const forwarded = single(request.headers['x-forwarded-proto'])?.split(',')[0]?.trim();
    const scheme =
      forwarded === 'http' || forwarded === 'https' ? forwarded : (request.protocol ?? 'https');
    return `${scheme}://${host}${redirectPath}`;
  }

  function refuse(
    request: AuthRequest,
    access: readonly Access[],
    message: string,
    error?: 'invalid_token' | 'insufficient_scope',
  ): AuthorizationError {
    const challenge = bearerChallenge({
      realm: realmFor(request),
      service: options.service,
      scope: access,
      ...(error === undefined ? {} : { error }),
    });
    return new AuthorizationError('UNAUTHORIZED', message, access, challenge);
  }

  function decide(request: AuthRequest, access: readonly Access[]): Principal {
    const header = request.headers.authorization;
    if (header === undefined) throw refuse(request, access, 'authentication required');
    const value = single(header);
    if (value === undefined || value.length > maxAuthorizationLength) {
      throw refuse(
        request,
        access,
        'invalid token: the Authorization header is unusable',
        'invalid_token',
      );
    }
    // Another scheme (Basic left over from a login) is no token at all, as in distribution.
    if (!/^bearer(?:\s|$)/i.test(value)) throw refuse(request, access, 'authentication required');
    const token = bearerPattern.exec(value)?.[1];
    if (token === undefined) {
      throw refuse(request, access, 'invalid token: malformed bearer credentials', 'invalid_token');
    }
    let verified;
    try {
      verified = options.verifier.verify(token);
    } catch (error) {
      if (!isTokenInvalidError(error)) throw error;
      debug('refused token: %s', error.message);
      throw refuse(request, access, `invalid token: ${error.message}`, 'invalid_token');
    }
    const missing = access
      .map((needed) => ({
        ...needed,
        actions: needed.actions.filter(
          (action) => !satisfies(verified.access, { ...needed, actions: [action] }),
        ),
      }))
      .filter((needed) => needed.actions.length > 0);
    if (missing.length > 0) {
      throw refuse(
        request,
        access,
        `insufficient scope: the token does not grant ${formatScopes(missing)}`,
        'insufficient_scope',
      );
    }
    return verified.subject === '' ? {} : { name: verified.subject };
  }

  return {
    authorize(request, access) {
      return new Promise((resolve) => {
        resolve(decide(request, access));
      });
    },
  };
}

/** A header sent once; a repeated one is treated as unusable rather than guessed at. */
function single(value: string | readonly string[] | undefined): string | undefined {
  if (typeof value === 'string') return value;
  return value?.length === 1 ? value[0] : undefined;
}
