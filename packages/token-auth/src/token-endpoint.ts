import type { Response } from 'express';
import type { Access } from './access.js';
import type { Authorizer, TokenPrincipal } from './authorizer.js';
import type { IssuedToken, TokenIssuer } from './issuer.js';

/** What the GET and POST handlers share. */
export interface TokenEndpoint {
  readonly issuer: TokenIssuer;
  readonly authorizer: Authorizer;
  readonly services: readonly string[];
  readonly refreshTokenLifetimeSeconds: number;
  readonly basicChallenge: string;
  /** Authorizes `principal` for `requested` and signs what is granted. */
  grant(
    principal: TokenPrincipal | undefined,
    requested: readonly Access[],
    service: string,
  ): Promise<IssuedToken & { readonly granted: Access[] }>;
}

/** Request bodies and URLs past these sizes are refused; real ones are far smaller. */
export const maxBodyBytes = 8192;
export const maxUrlLength = 8192;

/** distribution's error body: `{"errors":[{"code","message"}]}`. */
export function registryError(
  response: Response,
  status: number,
  code: string,
  message: string,
): void {
  response.status(status).json({ errors: [{ code, message }] });
}

/** RFC 6749 §5.2's error body. */
export function oauthError(
  response: Response,
  status: number,
  error: string,
  description: string,
): void {
  response.status(status).json({ error, error_description: description });
}
