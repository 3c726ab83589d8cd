import type { Shape } from './schema.js';

/**
 * distribution reads a bare name where a section of one named entry belongs:
 * `storage: inmemory` is `storage: {inmemory: {}}`, and `REGISTRY_STORAGE=s3`
 * switches the driver before `REGISTRY_STORAGE_S3_BUCKET` sets its bucket.
 */
export function expandNameOnly(value: unknown, shape: Shape): unknown {
  if (shape.kind !== 'struct' || shape.nameOnly !== true) return value;
  return typeof value === 'string' && value !== '' ? { [value]: {} } : value;
}
