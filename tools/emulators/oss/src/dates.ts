// The two time formats OSS speaks: HTTP dates (`Date`, V1's `x-oss-date`, Last-Modified) and
// ISO 8601 (`x-oss-date` under V4 in its basic form, times in XML with milliseconds).

const isoBasic = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/;

/**
 * Milliseconds since the epoch of an HTTP date (`Sun, 29 Nov 2026 02:37:02 GMT`) or an ISO 8601
 * basic one (`20261129T023702Z`); undefined if it is neither.
 */
export function parseRequestTime(text: string): number | undefined {
  const basic = isoBasic.exec(text);
  if (basic !== null) {
    const [, year, month, day, hour, minute, second] = basic.map(Number);
    return Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  }
  if (!text.endsWith('GMT')) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** `2026-11-29T02:37:02.000Z`, as OSS writes times in XML. */
export function isoTime(time: number): string {
  return new Date(time).toISOString();
}

/** `Sun, 29 Nov 2026 02:37:02 GMT`. */
export function httpDate(time: number): string {
  return new Date(time).toUTCString();
}
