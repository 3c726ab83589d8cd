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
import { deletePrefix, deleteQuietly } from './gcs-delete.js';
import { isNotFound, isRangeNotSatisfiable } from './gcs-errors.js';
import { listLevel } from './gcs-listing.js';
import type { SignedUrls } from './gcs-signed-urls.js';
import { contentType, type GcsStore } from './gcs-store.js';
import { openWriter } from './gcs-writer-open.js';

/**
 * Storage in a GCS bucket, with distribution's object names
 * (`rootdirectory` + path). Directories are name prefixes; `~` names are the driver's own
 * writer state and segments, never shown.
 */
export class GcsBackend implements StorageBackend {
  readonly name = 'gcs';
  readonly #tree: ObjectTree;

  constructor(
    private readonly store: GcsStore,
    private readonly signedUrls: SignedUrls,
  ) {
    this.#tree = new ObjectTree({
      head: (path) => this.#headFile(path),
      listLevel: (path) => listLevel(store, path),
    });
  }

  async getContent(path: string): Promise<Buffer> {
    try {
      const [content] = await this.store.regulator.run(() => this.#file(path).download());
      return content;
    } catch (error) {
      if (isNotFound(error)) throw new PathNotFoundError(path, { cause: error });
      throw error;
    }
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    await this.store.regulator.run(() =>
      this.#file(path).save(Buffer.from(content), { resumable: false, contentType }),
    );
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    if (length === 0) return this.#tree.emptyReader(path, offset);
    const stream = this.#file(path).createReadStream({
      start: offset,
      ...(length === undefined ? {} : { end: offset + length - 1 }),
      // Ranges have no whole-object checksum to compare with.
      validation: false,
    });
    try {
      await firstResponse(stream);
    } catch (error) {
      stream.destroy();
      if (isNotFound(error)) throw new PathNotFoundError(path, { cause: error });
      // A range starting at the end: the contract wants an empty stream there.
      if (isRangeNotSatisfiable(error)) return this.#tree.emptyReader(path, offset);
      throw error;
    }
    return stream;
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

  /** A server-side rewrite (as many calls as GCS needs for a large object), then a delete. */
  async move(source: string, destination: string): Promise<void> {
    try {
      await this.store.regulator.run(() => this.#file(source).move(this.#file(destination)));
    } catch (error) {
      if (isNotFound(error)) throw new PathNotFoundError(source, { cause: error });
      throw error;
    }
  }

  async delete(path: string): Promise<void> {
    const name = this.store.keys.key(path);
    const below = { anyFile: false };
    await deletePrefix(this.store, `${name}/`, (names) => {
      below.anyFile ||= names.some((found) => !isBookkeepingKey(found));
    });
    if (below.anyFile) return;
    if ((await this.#headFile(path)) === undefined) throw new PathNotFoundError(path);
    await deleteQuietly(this.store, name);
    // The file's writer state and segments: `<name>~partial`, `<name>~segments/…`.
    await deletePrefix(this.store, `${name}~`);
  }

  redirectURL(method: RedirectMethod, path: string): Promise<string | undefined> {
    return this.signedUrls.url(method, this.store.keys.key(path));
  }

  async #headFile(path: string): Promise<FileInfo | undefined> {
    try {
      const [metadata] = await this.store.regulator.run(() => this.#file(path).getMetadata());
      return {
        path,
        size: Number(metadata.size ?? 0),
        modTime: new Date(metadata.updated ?? 0),
        isDir: false,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  #file(path: string) {
    return this.store.bucket.file(this.store.keys.key(path));
  }
}

/**
 * Resolves when the download is answered with 2xx; rejects with the SDK's error otherwise
 * (which comes after the answer, once its body is read). The SDK sends the request only when
 * the stream is first read, so this asks for nothing yet: `read(0)`.
 */
function firstResponse(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('response', onResponse);
      stream.off('error', onError);
    };
    const onResponse = (response: { statusCode?: number }) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) return; // the error follows
      done();
      resolve();
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    stream.on('response', onResponse);
    stream.on('error', onError);
    stream.read(0);
  });
}
