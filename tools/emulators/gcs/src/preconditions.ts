import { badRequest, GcsError, preconditionFailed } from './errors.js';
import type { ObjectRecord } from './object-record.js';

/** The generation preconditions of the JSON API; `ifGenerationMatch=0` means "must not exist". */
export interface Preconditions {
  ifGenerationMatch?: bigint;
  ifGenerationNotMatch?: bigint;
  ifMetagenerationMatch?: bigint;
  ifMetagenerationNotMatch?: bigint;
}

const names = [
  'ifGenerationMatch',
  'ifGenerationNotMatch',
  'ifMetagenerationMatch',
  'ifMetagenerationNotMatch',
] as const;

/**
 * The preconditions in a query string. `prefix` reads a rewrite's source conditions
 * (`ifSourceGenerationMatch`, …) instead of the destination's.
 */
export function preconditionsFrom(
  query: URLSearchParams,
  prefix: '' | 'Source' = '',
): Preconditions {
  const result: Preconditions = {};
  for (const name of names) {
    const parameter = prefix === '' ? name : name.replace(/^if/, `if${prefix}`);
    const value = query.get(parameter);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw badRequest(`Invalid value for ${parameter}: ${value}`);
    result[name] = BigInt(value);
  }
  return result;
}

/**
 * Throws 412 unless `current` (the live object, or undefined) meets every precondition. On a
 * read, a NotMatch condition that fails answers 304 instead, as GCS does for a cached copy.
 */
export function checkPreconditions(
  preconditions: Preconditions,
  current: ObjectRecord | undefined,
  options: { read?: boolean } = {},
): void {
  const generation = current === undefined ? 0n : BigInt(current.generation);
  const metageneration = current === undefined ? undefined : BigInt(current.metageneration);
  const { ifGenerationMatch, ifGenerationNotMatch, ifMetagenerationMatch } = preconditions;
  const { ifMetagenerationNotMatch } = preconditions;
  if (ifGenerationMatch !== undefined && ifGenerationMatch !== generation) {
    throw preconditionFailed();
  }
  if (ifMetagenerationMatch !== undefined && ifMetagenerationMatch !== metageneration) {
    throw preconditionFailed();
  }
  const notMatchFails =
    (ifGenerationNotMatch !== undefined && ifGenerationNotMatch === generation) ||
    (ifMetagenerationNotMatch !== undefined && ifMetagenerationNotMatch === metageneration);
  if (notMatchFails) {
    throw options.read === true
      ? new GcsError(304, 'notModified', 'Not Modified')
      : preconditionFailed();
  }
}
