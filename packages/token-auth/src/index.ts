export { allowAll, formatAccess } from './access.js';
export type { Access, AccessController, AuthRequest, Principal } from './access.js';
export {
  AuthorizationError,
  TokenInvalidError,
  isAuthorizationError,
  isTokenInvalidError,
} from './errors.js';
export type { TokenInvalidReason } from './errors.js';
export { formatScopes, maxScopeLength, parseScope, parseScopes, satisfies } from './scope.js';
export { basicChallenge, bearerChallenge, parseChallenge } from './challenge.js';
export type { BearerChallengeOptions, Challenge } from './challenge.js';
export { jwkThumbprint, libtrustKeyId } from './key-id.js';
export type { AccessClaim, TokenClaims } from './claims.js';
export { maxTokenLength } from './jws.js';
export { createTokenIssuer, minLifetimeSeconds } from './issuer.js';
export type {
  IssueRequest,
  IssuedToken,
  RefreshTokenRequest,
  SigningAlgorithm,
  TokenIssuer,
  TokenIssuerOptions,
} from './issuer.js';
export { createTokenVerifier, verificationAlgorithms } from './verifier.js';
export type { TokenVerifier, TokenVerifierOptions, VerifiedToken } from './verifier.js';
export { createTokenAccessController } from './token-access-controller.js';
export type { TokenAccessControllerOptions } from './token-access-controller.js';
export { grantWithin } from './authorizer.js';
export type { Authorizer, TokenPrincipal } from './authorizer.js';
export { createConfigAuthorizer, loadConfigAuthorizer } from './config-authorizer.js';
export type { ConfigAuthorizerOptions, ConfigRule } from './config-authorizer.js';
export { createTokenRouter } from './token-router.js';
export type { TokenRouterOptions } from './token-router.js';
