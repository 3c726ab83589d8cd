import { createPrivateKey, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AuthConfig, TokenServiceConfig } from '@lading/config';
import {
  createTokenAccessController,
  createTokenIssuer,
  createTokenRouter,
  createTokenVerifier,
  loadConfigAuthorizer,
  type AccessController,
} from '@lading/token-auth';
import type { Router } from 'express';

/** `auth.token`: the registry trusts tokens signed by keys in `rootcertbundle` (and/or `jwks`). */
export async function tokenAccessController(
  auth: AuthConfig & { kind: 'token' },
): Promise<AccessController> {
  const rootCertificates =
    auth.rootcertbundle === undefined ? undefined : await readFile(auth.rootcertbundle, 'utf8');
  const jwks =
    auth.jwks === undefined
      ? undefined
      : (JSON.parse(await readFile(auth.jwks, 'utf8')) as { keys: JsonWebKey[] });
  const verifier = createTokenVerifier({
    issuer: auth.issuer,
    service: auth.service,
    ...(rootCertificates === undefined ? {} : { rootCertificates }),
    ...(jwks === undefined ? {} : { jwks }),
    ...(auth.signingalgorithms === undefined ? {} : { algorithms: [...auth.signingalgorithms] }),
  });
  return createTokenAccessController({
    realm: auth.realm,
    service: auth.service,
    verifier,
    ...(auth.autoredirect
      ? { autoredirect: auth.autoredirectpath === undefined ? {} : { path: auth.autoredirectpath } }
      : {}),
  });
}

/** `lading.tokenservice`: the Docker token endpoint, signing with `key` for the users in `users`. */
export async function tokenRouter(settings: TokenServiceConfig): Promise<Router> {
  const privateKey = createPrivateKey(await readFile(settings.key, 'utf8'));
  const certificateChain =
    settings.certificate === undefined ? undefined : await readFile(settings.certificate, 'utf8');
  const issuer = createTokenIssuer({
    privateKey,
    issuer: settings.issuer,
    lifetimeSeconds: Math.round(settings.lifetime / 1000),
    ...(certificateChain === undefined ? {} : { certificateChain }),
  });
  return createTokenRouter({
    issuer,
    authorizer: await loadConfigAuthorizer(settings.users),
    services: [...settings.services],
    refreshTokenLifetimeSeconds: Math.round(settings.refreshlifetime / 1000),
  });
}
