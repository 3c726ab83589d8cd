import type OSS from 'ali-oss';
import type { Readable } from 'node:stream';
import {
  ObjectTree,
  copyServerSide,
  PathNotFoundError,
  isBookkeepingKey,
  openMultipartWriter,
  type FileInfo,
  type FileWriter,
  type RedirectMethod,
  type StorageBackend,
  type WalkVisitor,
} from '@lading/storage-driver';
import { isInvalidRange, isNoSuchKey } from './oss-errors.js';
import { abortUploadsAt, deleteKeys, listLevel, listPages } from './oss-listing.js';
import { OssMultipartStore } from './oss-multipart.js';
import type { OssStore } from './oss-store.js';

const epoch = new Date(0);

/**
 * Storage in an OSS bucket, with distribution's key layout. Directories are key prefixes;
 * `~` keys are the driver's own writer state, never shown.
 */
export class OssBackend implements StorageBackend {
  readonly name = 'oss';
  readonly #tree: ObjectTree;
  readonly #multipart: OssMultipartStore;

  constructor(
    private readonly store: OssStore,
    private readonly redirectExpirySeconds: number,
    private readonly signsUrls: boolean,
  ) {
    this.#tree = new ObjectTree({
      head: (path) => this.#headFile(path),
      listLevel: (path) => listLevel(store, path),
    });
    this.#multipart = new OssMultipartStore(store);
  }

  async getContent(path: string): Promise<Buffer> {
    try {
      const object = await this.store.call((client) => client.get(this.store.keys.key(path)));
      return Buffer.from(object.content as Uint8Array);
    } catch (error) {
      if (isNoSuchKey(error)) throw new PathNotFoundError(path, { cause: error });
      throw error;
    }
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    await this.store.call((client) =>
      client.put(this.store.keys.key(path), Buffer.from(content), {
        headers: { ...this.store.newObjectHeaders },
      }),
    );
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    if (length === 0) return this.#tree.emptyReader(path, offset);
    const last = length === undefined ? '' : String(offset + length - 1);
    // Standard range behaviour: by default OSS answers a range past the end with the whole
    // object, where the contract wants an empty stream or InvalidOffsetError.
    const headers =
      offset === 0 && length === undefined
        ? {}
        : { Range: `bytes=${String(offset)}-${last}`, 'x-oss-range-behavior': 'standard' };
    try {
      const result = await this.store.call((client) =>
        client.getStream(this.store.keys.key(path), { headers }),
      );
      return result.stream as Readable;
    } catch (error) {
      if (isNoSuchKey(error)) throw new PathNotFoundError(path, { cause: error });
      // OSS answers a range starting at the end with 416; the contract wants an empty stream.
      if (isInvalidRange(error)) return this.#tree.emptyReader(path, offset);
      throw error;
    }
  }

  writer(path: string, append: boolean): Promise<FileWriter> {
    return openMultipartWriter(this.#multipart, path, append);
  }

  stat(path: string): Promise<FileInfo> {
    return this.#tree.stat(path);
  }

  list(path: string): Promise<string[]> {
    return this.#tree.list(path);
  }

  walk(path: string, visitor: WalkVisitor): Promise<void> {
    return this.#tree.walk(path, visitor);
  }

  async move(source: string, destination: string): Promise<void> {
    const file = await this.#headFile(source);
    if (file === undefined) throw new PathNotFoundError(source);
    const sourceKey = this.store.keys.key(source);
    await copyServerSide(this.#multipart, sourceKey, this.store.keys.key(destination), file.size);
    await this.store.call((client) => client.delete(sourceKey));
  }

  async delete(path: string): Promise<void> {
    const key = this.store.keys.key(path);
    let isDirectory = false;
    // Page by page: a listing continues after its last key, deleted or not.
    for await (const page of listPages(this.store, `${key}/`)) {
      const keys = page.objects.map((object) => object.name);
      isDirectory ||= keys.some((candidate) => !isBookkeepingKey(candidate));
      await deleteKeys(this.store, keys);
    }
    if (!isDirectory) {
      if ((await this.#headFile(path)) === undefined) throw new PathNotFoundError(path);
      await deleteKeys(this.store, [key, this.store.keys.partialKey(path)]);
    }
    await abortUploadsAt(this.store, key);
  }

  /**
   * A signed URL for exactly `method` (OSS signs the verb), valid 20 minutes; none on an
   * endpoint given as an IP address, which ali-oss will not sign for.
   */
  redirectURL(method: RedirectMethod, path: string): Promise<string | undefined> {
    if (!this.signsUrls) return Promise.resolve(undefined);
    return Promise.resolve(
      this.store.client.signatureUrl(this.store.keys.key(path), {
        // OSS signs HEAD like any verb; the type declarations leave it out.
        method: method as OSS.HTTPMethods,
        expires: this.redirectExpirySeconds,
      }),
    );
  }

  async #headFile(path: string): Promise<FileInfo | undefined> {
    try {
      const head = await this.store.call((client) => client.head(this.store.keys.key(path)));
      const headers = head.res.headers as Record<string, string | undefined>;
      return {
        path,
        size: Number(headers['content-length'] ?? '0'),
        modTime:
          headers['last-modified'] === undefined ? epoch : new Date(headers['last-modified']),
        isDir: false,
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }
}
