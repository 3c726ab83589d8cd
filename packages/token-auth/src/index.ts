export { allowAll, formatAccess } from './access.js';
export type { Access, AccessController, AuthRequest, Principal } from './access.js';
export { AuthorizationError, isAuthorizationError } from './errors.js';
