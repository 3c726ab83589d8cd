import { AuthorizationError, formatAccess, type AccessController } from '@lading/token-auth';

/**
 * distribution's `silly` auth, for development only: any request that carries
 * an `Authorization` header passes; others get a Bearer challenge naming the
 * scope they need.
 */
export function createSillyController(realm: string, service: string): AccessController {
  return {
    authorize(request, access) {
      const header = request.headers.authorization;
      if (header !== undefined && header !== '') return Promise.resolve({});
      const scope = access.map(formatAccess).join(' ');
      const challenge = `Bearer realm="${realm}",service="${service}"${scope === '' ? '' : `,scope="${scope}"`}`;
      return Promise.reject(
        new AuthorizationError('UNAUTHORIZED', 'authentication required', access, challenge),
      );
    },
  };
}
