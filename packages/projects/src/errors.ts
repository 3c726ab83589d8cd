/** What kind of refusal, mapped to an HTTP status in one place (the API's error handler). */
export type ProjectsErrorCode =
  'NOT_FOUND' | 'CONFLICT' | 'INVALID' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'UNAVAILABLE';

/** Every error the model throws on purpose; its message is safe to show the caller. */
export class ProjectsError extends Error {
  constructor(
    readonly code: ProjectsErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ProjectsError';
  }
}

/** A value the caller gave is wrong; `field` names it. */
export class InvalidInputError extends ProjectsError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID', `${field}: ${message}`);
    this.name = 'InvalidInputError';
  }
}

/** A path the registry cannot name: which character, where, and why. */
export class UnnamablePathError extends InvalidInputError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('path', `"${path}" cannot name container images: ${reason}`);
    this.name = 'UnnamablePathError';
  }
}

export function isProjectsError(error: unknown, code?: ProjectsErrorCode): error is ProjectsError {
  return error instanceof ProjectsError && (code === undefined || error.code === code);
}

export function notFound(what: string): ProjectsError {
  return new ProjectsError('NOT_FOUND', `${what} not found`);
}
