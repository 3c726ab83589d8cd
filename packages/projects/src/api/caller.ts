import type { Request } from 'express';
import type { ProjectsModel } from '../model.js';
import { ProjectsError } from '../errors.js';
import { personalAccessTokenPrefix } from '../secrets.js';
import type { User } from '../users.js';

/** Who calls the API: nobody, or a user signed in with a password or an `api`-scoped token. */
export type Caller =
  { readonly kind: 'anonymous' } | { readonly kind: 'user'; readonly user: User };

/**
 * The caller of a request: a personal access token with the `api` scope as
 * `Authorization: Bearer`, as `PRIVATE-TOKEN` (GitLab's header), or as the
 * password of HTTP Basic; or a user's own password by Basic. No credentials
 * is anonymous; wrong ones are a 401, never anonymous.
 */
export async function callerOf(model: ProjectsModel, request: Request): Promise<Caller> {
  const credentials = credentialsOf(request);
  if (credentials === undefined) return { kind: 'anonymous' };
  const user = await signIn(model, credentials);
  if (user === undefined) throw new ProjectsError('UNAUTHORIZED', 'invalid credentials');
  return { kind: 'user', user };
}

interface Credentials {
  readonly username?: string;
  readonly secret: string;
}

function credentialsOf(request: Request): Credentials | undefined {
  const privateToken = request.headers['private-token'];
  if (typeof privateToken === 'string' && privateToken !== '') return { secret: privateToken };
  const authorization = request.headers.authorization;
  if (authorization === undefined || authorization === '') return undefined;
  const [scheme = '', value = ''] = authorization.split(' ', 2);
  if (/^bearer$/i.test(scheme) && value !== '') return { secret: value };
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  throw new ProjectsError(
    'UNAUTHORIZED',
    'send a token as "Authorization: Bearer", PRIVATE-TOKEN or HTTP Basic',
  );
}

async function signIn(model: ProjectsModel, credentials: Credentials): Promise<User | undefined> {
  if (credentials.secret.startsWith(personalAccessTokenPrefix)) {
    const token = await model.accessTokens.findUsable(credentials.secret);
    if (!token?.scopes.includes('api')) return undefined;
    if (credentials.username !== undefined && credentials.username !== token.username)
      return undefined;
    const user = await model.users.byId(token.userId);
    return user === undefined || user.blocked ? undefined : user;
  }
  if (credentials.username === undefined) return undefined;
  return model.users.authenticate(credentials.username, credentials.secret);
}

/** The caller, who must be an admin. */
export function requireAdmin(caller: Caller): User {
  if (caller.kind === 'anonymous')
    throw new ProjectsError('UNAUTHORIZED', 'sign in as an administrator');
  if (!caller.user.admin) throw new ProjectsError('FORBIDDEN', 'administrators only');
  return caller.user;
}
