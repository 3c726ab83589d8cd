import { LRUCache } from 'lru-cache';
import type { OffThreadDigest } from './hash-worker.js';

/**
 * The running sha256 of uploads this process has been receiving, so that
 * completing an upload does not read its data back. Node cannot persist a hash
 * state, so another process (or this one after a restart or an eviction)
 * recomputes the digest from the stored data instead. A state is only used
 * when it has seen exactly the bytes stored; a state dropped is disposed.
 */
export class UploadHashes {
  readonly #states: LRUCache<string, OffThreadDigest>;

  constructor(maxEntries = 10_000) {
    this.#states = new LRUCache({
      max: maxEntries,
      dispose: (state) => {
        state.dispose();
      },
    });
  }

  /** The state for `key` if it has seen exactly `size` bytes; any other state is dropped. */
  take(key: string, size: number): OffThreadDigest | undefined {
    const state = this.#states.get(key);
    if (state?.size === size) return state;
    this.#states.delete(key);
    return undefined;
  }

  /** Keeps `state` for `key`, replacing (and disposing) another; keeping the same one is a no-op. */
  keep(key: string, state: OffThreadDigest): void {
    if (this.#states.get(key) !== state) this.#states.set(key, state);
  }

  forget(key: string): void {
    this.#states.delete(key);
  }
}
