import type { Access } from '@lading/token-auth';
import type { RouteMatch } from './routes.js';

/**
 * The access a request needs, by distribution's rule: reading needs `pull`,
 * writing `pull` and `push`, deleting `delete`; the catalog needs
 * `registry:catalog:*`; `/v2/` itself needs nothing but authentication.
 */
export function accessFor(match: RouteMatch, method: string): Access[] {
  if (match.route === 'base') return [];
  if (match.route === 'catalog') return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
  const name = match.name ?? '';
  switch (method) {
    case 'GET':
    case 'HEAD':
      return [{ type: 'repository', name, actions: ['pull'] }];
    case 'DELETE':
      return [{ type: 'repository', name, actions: ['delete'] }];
    default:
      return [{ type: 'repository', name, actions: ['pull', 'push'] }];
  }
}
