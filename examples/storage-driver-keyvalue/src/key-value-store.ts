/** One stored value: the bytes and when they were written. */
export interface Entry {
  readonly data: Buffer;
  readonly modTime: Date;
}

/**
 * The backend this driver adapts: any store of keys to values, such as Redis,
 * etcd or a database table. `set` must replace a value atomically.
 */
export interface KeyValueStore {
  get(key: string): Promise<Entry | undefined>;
  set(key: string, entry: Entry): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every key that starts with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** A `KeyValueStore` in a Map, for tests. */
export class MapStore implements KeyValueStore {
  readonly #entries = new Map<string, Entry>();

  get(key: string): Promise<Entry | undefined> {
    return Promise.resolve(this.#entries.get(key));
  }
  set(key: string, entry: Entry): Promise<void> {
    this.#entries.set(key, entry);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.#entries.delete(key);
    return Promise.resolve();
  }
  keys(prefix: string): Promise<string[]> {
    return Promise.resolve([...this.#entries.keys()].filter((key) => key.startsWith(prefix)));
  }
}
