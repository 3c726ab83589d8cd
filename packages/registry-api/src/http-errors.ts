import type { RegistryErrorCode } from './error-codes.js';

/**
 * An error the HTTP layer itself finds (a bad query parameter, a forged upload
 * state), with the registry code and, when it differs from the table's, the
 * status to send.
 */
export class RegistryHttpError extends Error {
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly detail?: unknown,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryHttpError';
  }
}
