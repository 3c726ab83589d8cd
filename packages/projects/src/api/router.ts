import express, { Router, type ErrorRequestHandler } from 'express';
import { ProjectsError, isProjectsError, type ProjectsErrorCode } from '../errors.js';
import type { ProjectsModel } from '../model.js';
import type { ContainerRepositories } from '../repositories.js';
import { adminRoutes } from './admin-routes.js';
import { registryRoutes } from './registry-routes.js';

export interface ProjectsApiOptions {
  readonly model: ProjectsModel;
  readonly repositories: ContainerRepositories;
  /** `host[:port]` clients pull from (`location` fields); default the request's Host. */
  readonly registryHost?: string;
  /** Told of every 500 with the error behind it, for logging. */
  readonly onServerError?: (error: unknown) => void;
  readonly now?: () => Date;
}

const statuses: Record<ProjectsErrorCode, number> = {
  INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAVAILABLE: 503,
};

/**
 * The projects REST API, JSON in and out, to mount where the app likes
 * (the reference server: `/api/v1`). Errors are `{"error": CODE, "message": …}`
 * with the status of their code; a field error also names the `field`.
 */
export function createProjectsApi(options: ProjectsApiOptions): Router {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));
  router.use((_request, response, next) => {
    response.set('Cache-Control', 'no-store');
    next();
  });
  router.use(
    registryRoutes({
      model: options.model,
      repositories: options.repositories,
      ...(options.registryHost === undefined ? {} : { registryHost: options.registryHost }),
      now: options.now ?? (() => new Date()),
    }),
  );
  router.use(adminRoutes(options.model, options.repositories));
  // An unknown route answers in JSON like every other error, not with Express's HTML page.
  router.use((request) => {
    throw new ProjectsError('NOT_FOUND', `no route ${request.method} ${request.path}`);
  });
  router.use(errorHandler(options.onServerError));
  return router;
}

function errorHandler(onServerError: ((error: unknown) => void) | undefined): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    if (isProjectsError(error)) {
      if (error.code === 'UNAUTHORIZED')
        response.set('WWW-Authenticate', 'Basic realm="Lading API"');
      const field = (error as { field?: unknown }).field;
      response.status(statuses[error.code]).json({
        error: error.code,
        message: error.message,
        ...(typeof field === 'string' ? { field } : {}),
      });
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser: malformed JSON, too large, wrong charset.
      response
        .status(status)
        .json({ error: 'INVALID', message: 'request body unreadable or too large' });
      return;
    }
    onServerError?.(error);
    response.status(500).json({ error: 'UNKNOWN', message: 'internal error' });
  };
}
