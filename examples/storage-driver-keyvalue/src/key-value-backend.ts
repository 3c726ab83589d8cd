import { Readable } from 'node:stream';
import {
  InvalidOffsetError,
  PathNotFoundError,
  joinPath,
  type FileInfo,
  type FileWriter,
  type StorageBackend,
} from '@lading/storage-driver';
import type { KeyValueStore } from './key-value-store.js';

// Committed content lives under "data:<path>", uncommitted writes under
// "pending:<path>". Directories are not stored: like an object store's, they
// exist while some key lies below them.
const dataKey = (path: string) => `data:${path}`;
const pendingKey = (path: string) => `pending:${path}`;
const below = (path: string) => (path === '/' ? '/' : `${path}/`);

export class KeyValueBackend implements StorageBackend {
  readonly name = 'keyvalue';

  constructor(private readonly store: KeyValueStore) {}

  async getContent(path: string): Promise<Buffer> {
    const entry = await this.store.get(dataKey(path));
    if (entry === undefined) throw new PathNotFoundError(path);
    return entry.data;
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    await this.store.set(dataKey(path), { data: Buffer.from(content), modTime: new Date() });
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    const data = await this.getContent(path);
    if (offset > data.length) throw new InvalidOffsetError(path, offset, 'past the end');
    const end = length === undefined ? data.length : offset + length;
    return Readable.from([data.subarray(offset, end)], { objectMode: false });
  }

  async writer(path: string, append: boolean): Promise<FileWriter> {
    if (!append) return new KeyValueWriter(this.store, path, []);
    const previous =
      (await this.store.get(pendingKey(path))) ?? (await this.store.get(dataKey(path)));
    if (previous === undefined) throw new PathNotFoundError(path);
    return new KeyValueWriter(this.store, path, [previous.data]);
  }

  async stat(path: string): Promise<FileInfo> {
    const entry = await this.store.get(dataKey(path));
    if (entry !== undefined) {
      return { path, size: entry.data.length, modTime: entry.modTime, isDir: false };
    }
    const children = await this.store.keys(dataKey(below(path)));
    if (children.length === 0) throw new PathNotFoundError(path);
    return { path, size: 0, modTime: new Date(0), isDir: true };
  }

  async list(path: string): Promise<string[]> {
    const prefix = dataKey(below(path));
    const names = new Set<string>();
    for (const key of await this.store.keys(prefix)) {
      names.add(key.slice(prefix.length).split('/')[0] ?? '');
    }
    if (names.size === 0 && path !== '/') throw new PathNotFoundError(path);
    return [...names].map((name) => joinPath(path, name));
  }

  async move(source: string, destination: string): Promise<void> {
    const entry = await this.store.get(dataKey(source));
    if (entry === undefined) throw new PathNotFoundError(source);
    await this.store.set(dataKey(destination), entry);
    await this.store.delete(dataKey(source));
  }

  async delete(path: string): Promise<void> {
    const data = [dataKey(path), ...(await this.store.keys(dataKey(below(path))))];
    const pending = [pendingKey(path), ...(await this.store.keys(pendingKey(below(path))))];
    const found = await Promise.all(data.map((key) => this.store.get(key)));
    if (found.every((entry) => entry === undefined)) {
      await Promise.all(pending.map((key) => this.store.delete(key)));
      throw new PathNotFoundError(path);
    }
    await Promise.all([...data, ...pending].map((key) => this.store.delete(key)));
  }
}

/**
 * Collects a write in memory and stores it on close or commit. Fine for an
 * example with small files; a real backend streams each chunk to its store
 * (multipart upload, append blob, staged blocks) instead.
 */
class KeyValueWriter implements FileWriter {
  constructor(
    private readonly store: KeyValueStore,
    private readonly path: string,
    private readonly chunks: Buffer[],
  ) {}

  get size(): number {
    return this.chunks.reduce((total, chunk) => total + chunk.length, 0);
  }

  write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(Buffer.from(chunk));
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.store.set(pendingKey(this.path), this.entry());
  }

  async commit(): Promise<void> {
    await this.store.set(dataKey(this.path), this.entry());
    await this.store.delete(pendingKey(this.path));
  }

  async cancel(): Promise<void> {
    await this.store.delete(pendingKey(this.path));
  }

  private entry() {
    return { data: Buffer.concat(this.chunks), modTime: new Date() };
  }
}
