/** The `Range` header of upload responses: `0-<last byte>`, and `0-0` when empty (distribution's quirk). */
export function rangeHeader(size: number): string {
  return `0-${String(Math.max(0, size - 1))}`;
}
