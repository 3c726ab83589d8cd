/** The HTTP status an SDK error carries (`ApiError.code`), if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export const isNotFound = (error: unknown): boolean => statusOf(error) === 404;
export const isRangeNotSatisfiable = (error: unknown): boolean => statusOf(error) === 416;
export const isPreconditionFailed = (error: unknown): boolean => statusOf(error) === 412;
