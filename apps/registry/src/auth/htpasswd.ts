import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  AuthorizationError,
  type AccessController,
  type AuthRequest,
  type Principal,
} from '@lading/token-auth';
import bcrypt from 'bcryptjs';

/** One `user:hash` line per user, the format `htpasswd -B` writes. */
export function parseHtpasswd(text: string, path: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const hash = line.slice(colon + 1);
    if (colon <= 0 || !/^\$2[aby]\$\d\d\$/.test(hash)) {
      throw new Error(
        `${path}:${String(index + 1)}: expected "user:<bcrypt hash>" (htpasswd -B); only bcrypt is supported`,
      );
    }
    users.set(line.slice(0, colon), hash);
  }
  return users;
}

/**
 * distribution's `htpasswd` auth: HTTP basic credentials checked against a
 * bcrypt htpasswd file; any authenticated user may do anything. The file is
 * read at start-up and again when it changes.
 */
export async function createHtpasswdController(
  realm: string,
  path: string,
): Promise<AccessController> {
  let users = parseHtpasswd(await readFile(path, 'utf8'), path);
  let loadedAt = Date.now();
  const challenge = `Basic realm="${realm}"`;
  const reload = async (): Promise<void> => {
    // Re-read at most once a second, so a changed file takes effect without a restart.
    if (Date.now() - loadedAt < 1000) return;
    loadedAt = Date.now();
    users = parseHtpasswd(await readFile(path, 'utf8'), path);
  };
  return {
    async authorize(request: AuthRequest, access): Promise<Principal> {
      const credentials = basicCredentials(request);
      // Some clients (podman) answer a challenge with empty credentials before logging in.
      if (credentials === undefined || credentials.user === '') {
        throw new AuthorizationError('UNAUTHORIZED', 'authentication required', access, challenge);
      }
      await reload().catch(() => undefined);
      const hash = users.get(credentials.user);
      // Compare against a hash even for unknown users, so timing does not reveal who exists.
      const ok = await bcrypt.compare(
        credentials.password,
        (hash ?? unknownUserHash).replace(/^\$2y\$/, '$2b$'),
      );
      if (hash === undefined || !ok) {
        throw new AuthorizationError(
          'UNAUTHORIZED',
          'invalid username or password',
          access,
          challenge,
        );
      }
      return { name: credentials.user };
    },
  };
}

/** A real hash of a random password, compared against when the user does not exist. */
const unknownUserHash = bcrypt.hashSync(randomBytes(16).toString('hex'), 10);

function basicCredentials(request: AuthRequest): { user: string; password: string } | undefined {
  const header: string | readonly string[] | undefined = request.headers.authorization;
  const value: string | undefined = typeof header === 'string' ? header : header?.[0];
  const match =
    typeof value === 'string' ? /^Basic\s+([A-Za-z0-9+/=]{1,4096})$/i.exec(value.trim()) : null;
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
