/** A YAML mapping, as parsed: string keys, any values. */
export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The dotted path of a key, as errors name it: `http.tls.key`. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** The path of a list item: `notifications.endpoints[0]`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${String(index)}]`;
}

/** Drops absent optional keys, so results compare and print cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
