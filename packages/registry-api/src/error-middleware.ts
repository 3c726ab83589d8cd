import { isOciError } from '@lading/oci';
import {
  isEngineError,
  ManifestTooLargeError,
  UploadOffsetMismatchError,
  BlobRangeNotSatisfiableError,
} from '@lading/registry-engine';
import { isAuthorizationError } from '@lading/token-auth';
import type { ErrorRequestHandler, Response } from 'express';
import { errorCodes, isRegistryErrorCode, type RegistryErrorCode } from './error-codes.js';
import { RegistryHttpError } from './http-errors.js';
import { rangeHeader } from './upload-headers.js';

/** Called for every failure that is the server's fault (5xx), with the request's error. */
export type ErrorReporter = (error: unknown, response: Response) => void;

interface Described {
  code: RegistryErrorCode;
  status: number;
  message: string;
  detail?: unknown;
}

/**
 * The one place where errors become responses: a typed error's code picks
 * the status from the table and the body is the registry's error envelope,
 * `{"errors":[{"code","message","detail"}]}` (none for HEAD). Anything
 * unrecognised is a 500 `UNKNOWN` that reveals nothing of its cause.
 */
export function errorMiddleware(report: ErrorReporter = () => undefined): ErrorRequestHandler {
  // Express recognises error middleware by its four parameters, so `_next` must stay.
  return (error: unknown, request, response, _next) => {
    if (response.headersSent) {
      // Mid-stream: the status is gone; all that is left is to cut the response short.
      response.destroy(error instanceof Error ? error : undefined);
      return;
    }
    const described = describe(error);
    if (described.status >= 500) report(error, response);
    headersFor(error, response, described);
    response.status(described.status);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    response.json({
      errors: [
        { code: described.code, message: described.message, detail: described.detail ?? {} },
      ],
    });
  };
}

function describe(error: unknown): Described {
  if (error instanceof RegistryHttpError) {
    return {
      code: error.code,
      status: error.status ?? errorCodes[error.code].status,
      message: error.message,
      detail: error.detail,
    };
  }
  if (isAuthorizationError(error)) {
    return {
      code: error.code,
      status: errorCodes[error.code].status,
      message: error.message,
      detail: error.detail,
    };
  }
  if (error instanceof ManifestTooLargeError) {
    // OCI asks for 413 here; distribution says 400 with the same code.
    return {
      code: 'MANIFEST_INVALID',
      status: 413,
      message: error.message,
      detail: { size: error.size, limit: error.limit },
    };
  }
  if ((isEngineError(error) || isOciError(error)) && isRegistryErrorCode(error.code)) {
    return {
      code: error.code,
      status: errorCodes[error.code].status,
      message: error.message,
      detail: detailOf(error),
    };
  }
  return { code: 'UNKNOWN', status: 500, message: errorCodes.UNKNOWN.message };
}

function detailOf(error: Error): unknown {
  if ('digests' in error) return { digests: error.digests };
  if ('currentOffset' in error) return { offset: error.currentOffset };
  if ('expected' in error && 'actual' in error)
    return { expected: error.expected, actual: error.actual };
  if ('field' in error && error.field !== undefined) return { field: error.field };
  return undefined;
}

function headersFor(error: unknown, response: Response, described: Described): void {
  if (isAuthorizationError(error) && error.challenge !== undefined) {
    response.setHeader('WWW-Authenticate', error.challenge);
  }
  if (error instanceof UploadOffsetMismatchError) {
    // Tell the client where the upload stands, as on any upload response.
    response.setHeader('Range', rangeHeader(error.currentOffset));
  }
  if (error instanceof BlobRangeNotSatisfiableError) {
    response.setHeader('Content-Range', `bytes */${String(error.size)}`);
  }
  if (described.status === 405) response.setHeader('Allow', 'GET, HEAD');
}
