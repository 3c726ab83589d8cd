import { Readable } from 'node:stream';
import {
  InvalidOffsetError,
  PathNotFoundError,
  StorageDriverError,
  isWithin,
  joinPath,
  type FileInfo,
  type FileWriter,
  type StorageBackend,
} from '@lading/storage-driver';
import { Tree, type FileNode } from './tree.js';

/** Uncommitted data of a path, shared by the successive writers that append to it. */
interface PendingWrite {
  readonly chunks: Buffer[];
  size: number;
}

/** Bytes handed to a reader at a time, like a file read. */
const streamChunkSize = 64 * 1024;

export class InMemoryBackend implements StorageBackend {
  readonly name = 'inmemory';
  readonly #tree = new Tree();
  readonly #pending = new Map<string, PendingWrite>();

  getContent(path: string): Promise<Buffer> {
    const file = this.#tree.findFile(path);
    return Promise.resolve(Buffer.concat(file.chunks, file.size));
  }

  putContent(path: string, content: Uint8Array): Promise<void> {
    this.store(path, [Buffer.from(content)], content.byteLength);
    return Promise.resolve();
  }

  reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    const file = this.#tree.findFile(path);
    if (offset > file.size) {
      throw new InvalidOffsetError(path, offset, `past the end (size ${file.size})`);
    }
    const end = length === undefined ? file.size : Math.min(file.size, offset + length);
    return Promise.resolve(Readable.from(slices(file, offset, end), { objectMode: false }));
  }

  writer(path: string, append: boolean): Promise<FileWriter> {
    let pending = append ? this.#pending.get(path) : undefined;
    if (pending === undefined && append) {
      const committed = this.#tree.find(path);
      if (committed?.kind !== 'file') throw new PathNotFoundError(path);
      pending = { chunks: [...committed.chunks], size: committed.size };
    }
    pending ??= { chunks: [], size: 0 };
    this.#pending.set(path, pending);
    return Promise.resolve(new InMemoryWriter(this, path, pending));
  }

  stat(path: string): Promise<FileInfo> {
    const node = this.#tree.find(path);
    if (node === undefined) throw new PathNotFoundError(path);
    const size = node.kind === 'file' ? node.size : 0;
    return Promise.resolve({ path, size, modTime: node.modTime, isDir: node.kind === 'directory' });
  }

  list(path: string): Promise<string[]> {
    const directory = this.#tree.findDirectory(path);
    return Promise.resolve([...directory.children.keys()].map((name) => joinPath(path, name)));
  }

  move(source: string, destination: string): Promise<void> {
    if (source === destination) {
      this.#tree.findFile(source);
      return Promise.resolve();
    }
    if (isWithin(destination, source)) {
      throw new StorageDriverError(`cannot move ${source} into itself`, { path: source });
    }
    const node = this.#tree.detach(source);
    try {
      this.#tree.attach(destination, node);
    } catch (error) {
      this.#tree.attach(source, node); // a file in the way: leave everything as it was
      throw error;
    }
    return Promise.resolve();
  }

  delete(path: string): Promise<void> {
    for (const pendingPath of this.#pending.keys()) {
      if (isWithin(pendingPath, path)) this.#pending.delete(pendingPath);
    }
    this.#tree.detach(path);
    return Promise.resolve();
  }

  /** Makes a writer's data the content of `path`. */
  commit(path: string, pending: PendingWrite): void {
    this.store(path, [...pending.chunks], pending.size);
    this.discard(path, pending);
  }

  /** Forgets a writer's uncommitted data, unless a newer writer took the path over. */
  discard(path: string, pending: PendingWrite): void {
    if (this.#pending.get(path) === pending) this.#pending.delete(path);
  }

  private store(path: string, chunks: Buffer[], size: number): void {
    const file: FileNode = { kind: 'file', chunks, size, modTime: new Date() };
    this.#tree.attach(path, file);
  }
}

class InMemoryWriter implements FileWriter {
  constructor(
    private readonly backend: InMemoryBackend,
    private readonly path: string,
    private readonly pending: PendingWrite,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  write(chunk: Uint8Array): Promise<void> {
    // Copied: the caller may reuse its buffer once the write resolves.
    this.pending.chunks.push(Buffer.from(chunk));
    this.pending.size += chunk.byteLength;
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  commit(): Promise<void> {
    this.backend.commit(this.path, this.pending);
    return Promise.resolve();
  }

  cancel(): Promise<void> {
    this.backend.discard(this.path, this.pending);
    return Promise.resolve();
  }
}

function* slices(file: FileNode, start: number, end: number): Generator<Buffer> {
  let chunkStart = 0;
  for (const chunk of file.chunks) {
    const chunkEnd = chunkStart + chunk.byteLength;
    for (let from = Math.max(start, chunkStart); from < Math.min(end, chunkEnd);) {
      const to = Math.min(end, chunkEnd, from + streamChunkSize);
      yield chunk.subarray(from - chunkStart, to - chunkStart);
      from = to;
    }
    chunkStart = chunkEnd;
    if (chunkStart >= end) return;
  }
}
