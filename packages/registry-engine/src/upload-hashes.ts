import type { Digester } from '@lading/oci';
import { LRUCache } from 'lru-cache';

/**
 * The running sha256 of uploads this process has been receiving, so that
 * completing an upload does not read its data back. Node cannot persist a hash
 * state, so another process (or this one after a restart or an eviction)
 * recomputes the digest from the stored data instead. A state is only used
 * when it has seen exactly the bytes stored.
 */
export class UploadHashes {
  readonly #states: LRUCache<string, Digester>;

  constructor(maxEntries = 10_000) {
    this.#states = new LRUCache({ max: maxEntries });
  }

  /** The state for `key` if it has seen exactly `size` bytes; any other state is dropped. */
  take(key: string, size: number): Digester | undefined {
    const state = this.#states.get(key);
    if (state?.size === size) return state;
    this.#states.delete(key);
    return undefined;
  }

  keep(key: string, state: Digester): void {
    this.#states.set(key, state);
  }

  forget(key: string): void {
    this.#states.delete(key);
  }
}
