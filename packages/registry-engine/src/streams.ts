import { Transform } from 'node:stream';
import type { Digester } from '@lading/oci';

/** A pass-through that feeds every chunk to the digesters on its way to storage. */
export function digestTap(digesters: readonly Digester[]): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      for (const digester of digesters) digester.update(chunk);
      callback(null, chunk);
    },
  });
}
