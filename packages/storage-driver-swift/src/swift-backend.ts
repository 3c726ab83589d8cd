import type { Readable } from 'node:stream';
import {
  ObjectTree,
  PathNotFoundError,
  isBookkeepingKey,
  mapConcurrently,
  type FileInfo,
  type FileWriter,
  type RedirectMethod,
  type StorageBackend,
  type WalkVisitor,
} from '@lading/storage-driver';
import {
  copyObject,
  deleteObject,
  getObject,
  headObject,
  listPages,
  putObject,
  readObject,
  type ListedEntry,
} from './swift-objects.js';
import { discardPartial, readPartial } from './swift-partial.js';
import {
  committedSegments,
  deleteSegments,
  deleteStaticLargeObject,
  dynamicSegments,
  deleteConcurrency,
  segmentsOf,
} from './swift-segments.js';
import type { SwiftStore } from './swift-store.js';
import type { TempUrlSigner } from './swift-tempurl.js';
import { openWriter } from './swift-writer-open.js';

/** Implicit directories have no time of their own. */
const epoch = new Date(0);
const partialSuffix = '~partial';

/**
 * Storage in a Swift container, with distribution's layout: files at
 * `<prefix>/files/<path>`, segments of large files at `<prefix>/segments/…`. Directories
 * are name prefixes; `~` names are the driver's own writer state, never shown.
 */
export class SwiftBackend implements StorageBackend {
  readonly name = 'swift';
  readonly #tree: ObjectTree;

  constructor(
    private readonly store: SwiftStore,
    private readonly signer: TempUrlSigner | undefined,
  ) {
    this.#tree = new ObjectTree({
      head: (path) => this.#headFile(path),
      listLevel: (path) => this.#listLevel(path),
    });
  }

  async getContent(path: string): Promise<Buffer> {
    const content = await readObject(this.store, this.store.keys.key(path));
    if (content === undefined) throw new PathNotFoundError(path);
    return content;
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    await putObject(this.store, this.store.keys.key(path), content);
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    if (length === 0) return this.#tree.emptyReader(path, offset);
    const last = length === undefined ? '' : String(offset + length - 1);
    const range =
      offset === 0 && length === undefined ? undefined : `bytes=${String(offset)}-${last}`;
    const response = await getObject(this.store, this.store.keys.key(path), range);
    if (response === undefined) throw new PathNotFoundError(path);
    if (response.status === 416) {
      // Swift refuses a range starting at the end; the contract wants an empty stream there.
      response.body.resume();
      return this.#tree.emptyReader(path, offset);
    }
    return response.body;
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

  walk(path: string, visitor: WalkVisitor): Promise<void> {
    return this.#tree.walk(path, visitor);
  }

  /**
   * A server-side copy, then the source's removal. A large file's manifest is copied, not
   * its bytes: the segments stay where they are and now belong to the destination.
   */
  async move(source: string, destination: string): Promise<void> {
    const sourceName = this.store.keys.key(source);
    const destinationName = this.store.keys.key(destination);
    const head = await headObject(this.store, sourceName);
    if (head === undefined) throw new PathNotFoundError(source);
    const isManifest = head.isStaticLargeObject || head.dynamicManifest !== undefined;
    const replaced = await committedSegments(this.store, destinationName);
    if (!(await copyObject(this.store, sourceName, destinationName, isManifest))) {
      throw new PathNotFoundError(source);
    }
    await deleteObject(this.store, sourceName);
    await deleteSegments(this.store, replaced, await segmentsOf(this.store, sourceName, head));
  }

  async delete(path: string): Promise<void> {
    const name = this.store.keys.key(path);
    let isDirectory = false;
    // Page by page: a listing continues after its last name, deleted or not.
    for await (const page of listPages(this.store, `${name}/`)) {
      isDirectory ||= page.some((entry) => !isBookkeepingKey(String(entry.name)));
      await mapConcurrently(page, deleteConcurrency, (entry) => this.#deleteListed(entry));
    }
    if (isDirectory) return;
    const head = await headObject(this.store, name);
    if (head === undefined) throw new PathNotFoundError(path);
    await this.#deleteFile(name, head.isStaticLargeObject, head.dynamicManifest);
    const partialName = this.store.keys.partialKey(path);
    const partial = await readPartial(this.store, partialName);
    if (partial !== undefined) await discardPartial(this.store, partialName, partial, []);
  }

  async redirectURL(method: RedirectMethod, path: string): Promise<string | undefined> {
    return this.signer?.url(method, this.store.keys.key(path));
  }

  /** One object of a directory being deleted, with what only it holds. */
  async #deleteListed(entry: ListedEntry): Promise<void> {
    const name = entry.name;
    if (name === undefined) return;
    if (name.endsWith(partialSuffix)) {
      const partial = await readPartial(this.store, name);
      if (partial !== undefined) await discardPartial(this.store, name, partial, []);
      return;
    }
    if (entry.slo_etag !== undefined) return this.#deleteFile(name, true, undefined);
    // A Dynamic Large Object manifest (distribution's) is an empty object: only those need a look.
    const dynamicManifest =
      entry.bytes === 0 ? (await headObject(this.store, name))?.dynamicManifest : undefined;
    await this.#deleteFile(name, false, dynamicManifest);
  }

  async #deleteFile(
    name: string,
    isStaticLargeObject: boolean,
    dynamicManifest: string | undefined,
  ): Promise<void> {
    if (isStaticLargeObject) return deleteStaticLargeObject(this.store, name);
    if (dynamicManifest === undefined) {
      await deleteObject(this.store, name);
      return;
    }
    const segments = await dynamicSegments(this.store, dynamicManifest);
    await deleteObject(this.store, name);
    await deleteSegments(this.store, segments);
  }

  async #headFile(path: string): Promise<FileInfo | undefined> {
    const head = await headObject(this.store, this.store.keys.key(path));
    if (head === undefined) return undefined;
    return { path, size: head.size, modTime: head.modTime, isDir: false };
  }

  async *#listLevel(path: string): AsyncGenerator<FileInfo[]> {
    const prefix = this.store.keys.directoryPrefix(path);
    for await (const page of listPages(this.store, prefix, '/')) {
      yield page.map((entry) => this.#fileInfo(entry));
    }
  }

  #fileInfo(entry: ListedEntry): FileInfo {
    if (entry.subdir !== undefined) {
      return { path: this.store.keys.path(entry.subdir), size: 0, modTime: epoch, isDir: true };
    }
    return {
      path: this.store.keys.path(String(entry.name)),
      size: entry.bytes ?? 0,
      // Swift lists times in UTC without saying so.
      modTime: entry.last_modified === undefined ? epoch : new Date(`${entry.last_modified}Z`),
      isDir: false,
    };
  }
}
