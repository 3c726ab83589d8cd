import { finished, pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';

/**
 * The method a reader may offer to take its chunks back once its consumer is
 * done with them, so that it reads the next bytes into memory it already has.
 * A fresh buffer per read costs page faults and, in a large heap, full
 * garbage collections driven by external memory (docs/performance.md). A
 * consumer that never hands chunks back loses nothing: the reader allocates.
 */
export const recycleChunk = Symbol.for('@lading/storage-driver.recycleChunk');

/** A reader that reuses the memory of the chunks handed back to it. */
export interface RecyclingReadable extends Readable {
  /** Takes back a chunk this reader pushed; the caller must not touch it again. */
  [recycleChunk](chunk: Uint8Array): void;
}

export function isRecyclingReadable(stream: Readable): stream is RecyclingReadable {
  return typeof (stream as Partial<RecyclingReadable>)[recycleChunk] === 'function';
}

/**
 * `pipeline(source, destination)`, except that a recycling `source` gets each
 * chunk back once `destination` has written it (its write callback), which for
 * a socket means the kernel holds a copy. Resolves when `destination` has
 * finished; rejects, destroying both, when either fails or `destination` closes
 * early (a client that left).
 */
export async function pipeRecycling(source: Readable, destination: Writable): Promise<void> {
  if (!isRecyclingReadable(source)) {
    await pipeline(source, destination);
    return;
  }
  const sink = new Writable({
    // Backpressure is the destination's: the sink holds nothing of its own.
    highWaterMark: 0,
    write(chunk: Buffer, _encoding, callback) {
      const accepted = destination.write(chunk, () => {
        source[recycleChunk](chunk);
      });
      if (accepted) callback();
      else
        destination.once('drain', () => {
          callback();
        });
    },
    final(callback) {
      destination.end(() => {
        callback();
      });
    },
  });
  const closed = finished(destination);
  // A destination that fails or closes first stops the sink, and so the pipeline.
  closed.catch((error: unknown) => sink.destroy(error as Error));
  try {
    await pipeline(source, sink);
    await closed;
  } catch (error) {
    // As pipeline does: a response cut short must not look complete, nor hang.
    destination.destroy(error as Error);
    throw error;
  }
}
