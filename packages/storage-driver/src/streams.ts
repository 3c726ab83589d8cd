import { Writable } from 'node:stream';
import type { FileWriter } from './storage-driver.js';

/** How many bytes `fileWriterStream` gathers into one `write()` by default. */
export const defaultWriteBatchBytes = 1024 * 1024;

export interface FileWriterStreamOptions {
  /** Bytes gathered into one write at most; also the backpressure mark. Default 1 MiB. */
  readonly batchBytes?: number;
  /**
   * Called with each batch once it is written, before the next is taken; the
   * stream never touches the batch again, so its memory may be handed on (to
   * a worker thread, say). Its promise is awaited: backpressure.
   */
  readonly onWritten?: (batch: Buffer) => Promise<void> | void;
}

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
  options: FileWriterStreamOptions = {},
): Writable {
  const { batchBytes = defaultWriteBatchBytes, onWritten } = options;
  const send = (batch: Buffer, callback: (error?: Error | null) => void): void => {
    writer
      .write(batch)
      .then(() => onWritten?.(batch))
      .then(() => {
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
