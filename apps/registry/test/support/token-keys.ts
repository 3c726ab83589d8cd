import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

/** A token signing key and its self-signed certificate, made with Debian's openssl. */
export function signingKey(curve: 'P-256' | 'rsa' = 'P-256'): { key: string; certificate: string } {
  const directory = mkdtempSync(join(tmpdir(), 'lading-keys-'));
  const algorithm = curve === 'rsa' ? ['rsa:2048'] : ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      ...algorithm,
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=token signer',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
    ],
    { cwd: directory, stdio: 'ignore' },
  );
  const result = {
    key: readFileSync(join(directory, 'key.pem'), 'utf8'),
    certificate: readFileSync(join(directory, 'cert.pem'), 'utf8'),
  };
  rmSync(directory, { recursive: true, force: true });
  return result;
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
