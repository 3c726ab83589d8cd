import { Writable } from 'node:stream';
import type { FileWriter } from './storage-driver.js';

/** How many bytes `fileWriterStream` gathers into one `write()` by default. */
const defaultWriteBatchBytes = 1024 * 1024;

/**
 * A Writable over a FileWriter, for `pipeline(source, fileWriterStream(w))`.
 * One write is in flight at a time; the chunks that arrive meanwhile (a
 * socket gives 64 KiB at a time) are gathered, up to `batchBytes`, into the
 * next write, so a driver pays one call per batch, not per chunk, and the
 * source keeps flowing while storage works. Past `batchBytes` waiting,
 * backpressure reaches the source. Finishing the stream neither commits nor
 * closes the writer; the caller decides which, once the pipeline has settled.
 */
export function fileWriterStream(
  writer: FileWriter,
  batchBytes: number = defaultWriteBatchBytes,
): Writable {
  const send = (chunk: Uint8Array, callback: (error?: Error | null) => void): void => {
    writer.write(chunk).then(() => {
      callback();
    }, callback);
  };
  return new Writable({
    highWaterMark: batchBytes,
    write(chunk: Buffer, _encoding, callback) {
      send(chunk, callback);
    },
    writev(chunks, callback) {
      send(Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer)), callback);
    },
  });
}
