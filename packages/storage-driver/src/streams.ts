import { Writable } from 'node:stream';
import type { FileWriter } from './storage-driver.js';

/**
 * A Writable over a FileWriter, for `pipeline(source, fileWriterStream(w))`:
 * each chunk is written before the next is taken, so backpressure reaches the
 * source. Finishing the stream neither commits nor closes the writer; the
 * caller decides which, once the pipeline has settled.
 */
export function fileWriterStream(writer: FileWriter): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writer.write(chunk).then(() => {
        callback();
      }, callback);
    },
  });
}
