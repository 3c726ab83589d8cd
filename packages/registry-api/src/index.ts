export { createRegistryRouter } from './router.js';
export type { RegistryRouterOptions } from './router.js';
export { errorCodes } from './error-codes.js';
export type { RegistryErrorCode } from './error-codes.js';
export { RegistryHttpError } from './http-errors.js';
export type { ErrorReporter } from './error-middleware.js';
export { matchRoute } from './routes.js';
export type { RouteMatch, RouteName } from './routes.js';
