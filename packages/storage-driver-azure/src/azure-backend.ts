import { Readable } from 'node:stream';
import {
  InvalidOffsetError,
  PathNotFoundError,
  isBookkeepingKey,
  walkByListing,
  type FileInfo,
  type FileWriter,
  type RedirectMethod,
  type StorageBackend,
  type WalkVisitor,
} from '@lading/storage-driver';
import { copyBlob } from './azure-copy.js';
import { isBlobNotFound, isInvalidRange } from './azure-errors.js';
import { deleteBlobs, listFlat, listLevel } from './azure-listing.js';
import { blobHTTPHeaders, type AzureStore } from './azure-store.js';
import { openWriter } from './azure-writer-open.js';

/** The whole of a stream, as one buffer (for small files only). */
async function collect(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Implicit directories have no time of their own. */
const epoch = new Date(0);

/**
 * Storage in an Azure Blob container, with distribution's blob names.
 * Directories are name prefixes; `~` names are the driver's own writer
 * state, never shown.
 */
export class AzureBackend implements StorageBackend {
  readonly name = 'azure';

  constructor(
    private readonly store: AzureStore,
    private readonly redirectExpirySeconds: number,
  ) {}

  async getContent(path: string): Promise<Buffer> {
    try {
      // One GET: downloadToBuffer() asks for the size first and then for ranges, and a
      // blob replaced in between would come back as a mix of both versions.
      const response = await this.#blob(path).download(0);
      return await collect(response.readableStreamBody);
    } catch (error) {
      if (isBlobNotFound(error)) throw new PathNotFoundError(path, { cause: error });
      throw error;
    }
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    await this.#blob(path).upload(content, content.byteLength, { blobHTTPHeaders });
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    if (length === 0) return this.#emptyReader(path, offset);
    try {
      const response = await this.#blob(path).download(offset, length);
      return response.readableStreamBody as Readable;
    } catch (error) {
      if (isBlobNotFound(error)) throw new PathNotFoundError(path, { cause: error });
      // Azure answers a range starting at the end with 416; the contract wants an empty stream.
      if (isInvalidRange(error)) return this.#emptyReader(path, offset);
      throw error;
    }
  }

  writer(path: string, append: boolean): Promise<FileWriter> {
    return openWriter(this.store, path, append);
  }

  async stat(path: string): Promise<FileInfo> {
    if (path !== '/') {
      const file = await this.#fileInfo(path);
      if (file !== undefined) return file;
    }
    if (await this.#isDirectory(path)) return { path, size: 0, modTime: epoch, isDir: true };
    throw new PathNotFoundError(path);
  }

  async list(path: string): Promise<string[]> {
    const entries = await this.#entries(path);
    if (entries.length === 0 && path !== '/') throw new PathNotFoundError(path);
    return entries.map((entry) => entry.path);
  }

  async move(source: string, destination: string): Promise<void> {
    if ((await this.#fileInfo(source)) === undefined) throw new PathNotFoundError(source);
    const { keys } = this.store;
    await copyBlob(this.store, keys.key(source), keys.key(destination));
    await this.#blob(source).deleteIfExists();
  }

  async delete(path: string): Promise<void> {
    const { keys } = this.store;
    let isDirectory = false;
    for await (const names of listFlat(this.store, keys.directoryPrefix(path))) {
      isDirectory ||= names.some((name) => !isBookkeepingKey(name));
      await deleteBlobs(this.store, names);
    }
    if (isDirectory) return;
    if ((await this.#fileInfo(path)) === undefined) throw new PathNotFoundError(path);
    await deleteBlobs(this.store, [keys.key(path), keys.partialKey(path)]);
  }

  async redirectURL(_method: RedirectMethod, path: string): Promise<string | undefined> {
    if (!this.store.redirects) return undefined;
    const expiresOn = new Date(Date.now() + this.redirectExpirySeconds * 1000);
    // A read SAS serves GET and HEAD alike.
    return this.store.signReadUrl(this.#blob(path), expiresOn);
  }

  /** One listing per directory, no request per file: sizes and times come with the listing. */
  async walk(path: string, visitor: WalkVisitor): Promise<void> {
    if (path !== '/' && !(await this.#isDirectory(path))) throw new PathNotFoundError(path);
    await walkByListing(path, (directory) => this.#entries(directory), visitor);
  }

  async #entries(path: string): Promise<FileInfo[]> {
    const entries: FileInfo[] = [];
    for await (const level of listLevel(this.store, this.store.keys.directoryPrefix(path))) {
      entries.push(...level.filter((entry) => !isBookkeepingKey(entry.path)));
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async #isDirectory(path: string): Promise<boolean> {
    for await (const level of listLevel(this.store, this.store.keys.directoryPrefix(path))) {
      if (level.some((entry) => entry.isDir || !isBookkeepingKey(entry.path))) return true;
    }
    return false;
  }

  async #fileInfo(path: string): Promise<FileInfo | undefined> {
    try {
      const properties = await this.#blob(path).getProperties();
      return {
        path,
        size: properties.contentLength ?? 0,
        modTime: properties.lastModified ?? epoch,
        isDir: false,
      };
    } catch (error) {
      if (isBlobNotFound(error)) return undefined;
      throw error;
    }
  }

  #blob(path: string) {
    return this.store.container.getBlockBlobClient(this.store.keys.key(path));
  }

  async #emptyReader(path: string, offset: number): Promise<Readable> {
    const file = await this.#fileInfo(path);
    if (file === undefined) throw new PathNotFoundError(path);
    if (offset > file.size) {
      throw new InvalidOffsetError(
        path,
        offset,
        `past the end of the file (${String(file.size)} bytes)`,
      );
    }
    return Readable.from([]);
  }
}
