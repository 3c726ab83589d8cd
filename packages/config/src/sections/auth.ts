import { ConfigError } from '../errors.js';
import type { Fields } from '../fields.js';
import type { AuthConfig, TokenAuthConfig } from '../registry-config.js';
import { itemPath, withoutUndefined } from '../tree.js';

const kinds = ['none', 'silly', 'token', 'htpasswd'] as const;

/** The JWS algorithms distribution v3 verifies token signatures with. */
const signingAlgorithms = new Set([
  ...['EdDSA', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'],
  ...['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'],
]);

/** `auth`: at most one kind; none at all means an open registry. */
export function readAuth(root: Fields): AuthConfig {
  const auth = root.child('auth');
  const given = auth.keys();
  const [kind] = given;
  if (given.length > 1) {
    throw auth.problem(
      given,
      `exactly one of ${kinds.join(', ')}`,
      `several auth kinds: ${given.join(', ')}; expected exactly one`,
    );
  }
  // checkKeys has refused any other key.
  switch (kind as (typeof kinds)[number] | undefined) {
    case 'silly': {
      const silly = auth.child('silly');
      return {
        kind: 'silly',
        realm: silly.requiredString('realm'),
        service: silly.requiredString('service'),
      };
    }
    case 'token':
      return readToken(auth.child('token'));
    case 'htpasswd': {
      const htpasswd = auth.child('htpasswd');
      return {
        kind: 'htpasswd',
        realm: htpasswd.requiredString('realm'),
        path: htpasswd.requiredString('path'),
      };
    }
    default:
      return { kind: 'none' };
  }
}

function readToken(token: Fields): TokenAuthConfig {
  const realm = token.requiredString('realm');
  const service = token.requiredString('service');
  const issuer = token.requiredString('issuer');
  const jwks = token.optionalString('jwks');
  // distribution v3 verifies with certificates, a JWKS, or both; v2.8 only has certificates.
  const rootcertbundle =
    jwks === undefined
      ? token.requiredString('rootcertbundle')
      : token.optionalString('rootcertbundle');
  return withoutUndefined({
    kind: 'token',
    realm,
    service,
    issuer,
    rootcertbundle,
    jwks,
    autoredirect: token.boolean('autoredirect', false),
    autoredirectpath: token.optionalString('autoredirectpath'),
    signingalgorithms: readSigningAlgorithms(token),
  });
}

function readSigningAlgorithms(token: Fields): string[] | undefined {
  if (!token.has('signingalgorithms')) return undefined;
  const algorithms = token.strings('signingalgorithms');
  for (const [index, algorithm] of algorithms.entries()) {
    if (!signingAlgorithms.has(algorithm)) {
      throw new ConfigError({
        key: itemPath(token.at('signingalgorithms'), index),
        value: algorithm,
        expected: `one of ${[...signingAlgorithms].join(', ')}`,
      });
    }
  }
  return algorithms;
}
