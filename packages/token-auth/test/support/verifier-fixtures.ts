import { createTokenVerifier, type TokenVerifierOptions } from '../../src/index.js';
import { pki } from './pki.js';

export const issuer = 'gitlab-issuer';
export const service = 'container_registry';
// Whole seconds, so the leeway boundaries in the tests are exact.
export const seconds = Math.floor(Date.now() / 1000);
export const now = new Date(seconds * 1000);

/** Valid claims for the verifiers below, with `overrides`. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: issuer,
    sub: 'alice',
    aud: service,
    iat: seconds,
    nbf: seconds - 5,
    exp: seconds + 300,
    jti: 'j',
    access: [{ type: 'repository', name: 'group/app', actions: ['pull'] }],
    ...overrides,
  };
}

/** A verifier trusting the RSA test certificate, at `now`, with `options`. */
export function verifier(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    issuer,
    service,
    rootCertificates: pki().rsa.certPem,
    now: () => now,
    ...options,
  });
}
