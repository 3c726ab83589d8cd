import type { Readable } from 'node:stream';
import {
  ObjectTree,
  PathNotFoundError,
  isBookkeepingKey,
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

  readonly #tree: ObjectTree;

  constructor(
    private readonly store: AzureStore,
    private readonly redirectExpirySeconds: number,
  ) {
    this.#tree = new ObjectTree({
      head: (path) => this.#fileInfo(path),
      listLevel: (path) => listLevel(store, store.keys.directoryPrefix(path)),
    });
  }

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
    if (length === 0) return this.#tree.emptyReader(path, offset);
    try {
      const response = await this.#blob(path).download(offset, length);
      return response.readableStreamBody as Readable;
    } catch (error) {
      if (isBlobNotFound(error)) throw new PathNotFoundError(path, { cause: error });
      // Azure answers a range starting at the end with 416; the contract wants an empty stream.
      if (isInvalidRange(error)) return this.#tree.emptyReader(path, offset);
      throw error;
    }
  }

  writer(path: string, append: boolean): Promise<FileWriter> {
    return openWriter(this.store, path, append);
  }

  stat(path: string): Promise<FileInfo> {
    return this.#tree.stat(path);
  }

  list(path: string): Promise<string[]> {
    return this.#tree.list(path);
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

  walk(path: string, visitor: WalkVisitor): Promise<void> {
    return this.#tree.walk(path, visitor);
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
}
