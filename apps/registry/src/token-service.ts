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
  type Authorizer,
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

/**
 * `lading.tokenservice`: the Docker token endpoint, signing with `key`, for
 * the users in `users` or, with `lading.projects`, by the forge's `authorizer`.
 */
export async function tokenRouter(
  settings: TokenServiceConfig,
  projectsAuthorizer: Authorizer | undefined,
): Promise<Router> {
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
    authorizer: await policy(settings, projectsAuthorizer),
    services: [...settings.services],
    refreshTokenLifetimeSeconds: Math.round(settings.refreshlifetime / 1000),
  });
}

async function policy(
  settings: TokenServiceConfig,
  projectsAuthorizer: Authorizer | undefined,
): Promise<Authorizer> {
  if (projectsAuthorizer !== undefined) return projectsAuthorizer;
  // The config reader requires `users` whenever `lading.projects` is absent.
  if (settings.users === undefined) throw new Error('lading.tokenservice.users is required');
  return loadConfigAuthorizer(settings.users);
}
