/**
 * A Swift call that failed for good: after the retries a transient failure gets, or at once
 * for an answer no retry changes. `status` is undefined when no answer came (network, timeout).
 */
export class SwiftRequestError extends Error {
  override readonly name = 'SwiftRequestError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | undefined,
    detail: string,
    cause?: unknown,
  ) {
    const answer = status === undefined ? 'no answer' : `HTTP ${String(status)}`;
    super(`swift ${method} ${path || '/'}: ${answer}: ${detail.trim().slice(0, 300)}`, {
      cause,
    });
  }
}
