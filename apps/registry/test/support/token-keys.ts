import bcrypt from 'bcryptjs';
import { withPki } from './pki.js';

/** A token signing key and its self-signed certificate. */
export function signingKey(keyType: 'ec' | 'rsa' = 'ec'): { key: string; certificate: string } {
  return withPki((pki) => {
    pki.selfSigned('token', '/CN=token signer', { keyType });
    return { key: pki.text('token.key'), certificate: pki.text('token.pem') };
  });
}

export interface SelfServingTokenOptions {
  /** `auth.token` lines naming the keys to trust; default the service's own `token.pem`. */
  readonly trust?: readonly string[];
  /** `lading.tokenservice` lines besides issuer, key and users (e.g. `certificate`). */
  readonly tokenService?: readonly string[];
}

/**
 * A registry that is also its own token service, on a port chosen beforehand so the realm can
 * name it. It expects `token.key`, `users.json` and, by default, `token.pem` beside the config.
 */
export function selfServingTokenConfig(
  port: number,
  options: SelfServingTokenOptions = {},
): string {
  const indent = (lines: readonly string[]) => lines.map((line) => `    ${line}\n`).join('');
  return `version: 0.1
storage:
  filesystem:
    rootdirectory: {dir}/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${String(port)}
auth:
  token:
    realm: http://127.0.0.1:${String(port)}/jwt/auth
    service: registry.test
    issuer: lading-test
${indent(options.trust ?? ['rootcertbundle: {dir}/token.pem'])}lading:
  tokenservice:
    issuer: lading-test
    key: {dir}/token.key
    users: {dir}/users.json
${indent(options.tokenService ?? [])}`;
}

/** The files {@link selfServingTokenConfig} expects. */
export function tokenServiceFiles(): Record<string, string> {
  const { key, certificate } = signingKey();
  return { 'token.key': key, 'token.pem': certificate, 'users.json': usersFile() };
}

/** The token service's users file: alice owns `alice/**` and pulls everything, bob only pulls. */
export function usersFile(): string {
  return JSON.stringify({
    users: {
      alice: bcrypt.hashSync('alice password', 4),
      bob: bcrypt.hashSync('bob password', 4),
      admin: bcrypt.hashSync('admin password', 4),
    },
    rules: [
      {
        match: { account: '*', type: 'repository', name: '${account}/**' },
        actions: ['pull', 'push', 'delete'],
      },
      { match: { account: '*', type: 'repository', name: '**' }, actions: ['pull'] },
      { match: { account: 'admin', type: 'registry', name: 'catalog' }, actions: ['*'] },
      { match: { type: 'repository', name: 'public/**' }, actions: ['pull'] },
    ],
  });
}

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
