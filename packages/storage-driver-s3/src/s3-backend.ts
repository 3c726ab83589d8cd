import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
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
import { copyObject } from './s3-copy.js';
import { isInvalidRange, isNoSuchKey } from './s3-errors.js';
import { abortUploadsAt, deleteKeys, listPages } from './s3-listing.js';
import type { S3Store } from './s3-store.js';
import { openWriter } from './s3-writer-open.js';

/** Implicit directories have no time of their own. */
const epoch = new Date(0);

/**
 * Storage in an S3 bucket, with distribution's key layout. Directories are
 * key prefixes; `~` keys are the driver's own writer state, never shown.
 */
export class S3Backend implements StorageBackend {
  readonly name = 's3';

  constructor(
    private readonly store: S3Store,
    private readonly redirectExpirySeconds: number,
  ) {}

  async getContent(path: string): Promise<Buffer> {
    const object = await this.#get(path);
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    await this.store.client.send(
      new PutObjectCommand({
        Bucket: this.store.bucket,
        Key: this.store.keys.key(path),
        Body: content,
        ContentLength: content.byteLength,
        ...this.store.newObject,
      }),
    );
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    if (length === 0) return this.#emptyReader(path, offset);
    const last = length === undefined ? '' : String(offset + length - 1);
    const range =
      offset === 0 && length === undefined ? undefined : `bytes=${String(offset)}-${last}`;
    try {
      const object = await this.#get(path, range);
      return object.Body as Readable;
    } catch (error) {
      // S3 answers a range starting at the end with 416; the contract wants an empty stream there.
      if (isInvalidRange(error)) return this.#emptyReader(path, offset);
      throw error;
    }
  }

  writer(path: string, append: boolean): Promise<FileWriter> {
    return openWriter(this.store, path, append);
  }

  async stat(path: string): Promise<FileInfo> {
    if (path !== '/') {
      const file = await this.#headFile(path);
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
    const file = await this.#headFile(source);
    if (file === undefined) throw new PathNotFoundError(source);
    const sourceKey = this.store.keys.key(source);
    await copyObject(this.store, sourceKey, this.store.keys.key(destination), file.size);
    await this.store.client.send(
      new DeleteObjectCommand({ Bucket: this.store.bucket, Key: sourceKey }),
    );
  }

  async delete(path: string): Promise<void> {
    const key = this.store.keys.key(path);
    let isDirectory = false;
    // Delete page by page: a listing continues after its last key, deleted or not.
    for await (const page of listPages(this.store, `${key}/`)) {
      const keys = page.objects.flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
      isDirectory ||= keys.some((candidate) => !isBookkeepingKey(candidate));
      await deleteKeys(this.store, keys);
    }
    if (!isDirectory) {
      if ((await this.#headFile(path)) === undefined) throw new PathNotFoundError(path);
      await deleteKeys(this.store, [key, this.store.keys.partialKey(path)]);
    }
    await abortUploadsAt(this.store, key);
  }

  async redirectURL(method: RedirectMethod, path: string): Promise<string> {
    const input = { Bucket: this.store.bucket, Key: this.store.keys.key(path) };
    const command = method === 'HEAD' ? new HeadObjectCommand(input) : new GetObjectCommand(input);
    return getSignedUrl(this.store.client, command, { expiresIn: this.redirectExpirySeconds });
  }

  /** One listing per directory, no request per file: sizes and times come with the listing. */
  async walk(path: string, visitor: WalkVisitor): Promise<void> {
    if (path !== '/' && !(await this.#isDirectory(path))) throw new PathNotFoundError(path);
    await walkByListing(path, (directory) => this.#entries(directory), visitor);
  }

  /** The direct children of a directory, sorted by path. */
  async #entries(path: string): Promise<FileInfo[]> {
    const { keys } = this.store;
    const entries: FileInfo[] = [];
    for await (const page of listPages(this.store, keys.directoryPrefix(path), '/')) {
      for (const prefix of page.prefixes) {
        entries.push({ path: keys.path(prefix), size: 0, modTime: epoch, isDir: true });
      }
      for (const object of page.objects) {
        if (object.Key === undefined || isBookkeepingKey(object.Key)) continue;
        entries.push({
          path: keys.path(object.Key),
          size: object.Size ?? 0,
          modTime: object.LastModified ?? epoch,
          isDir: false,
        });
      }
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Whether anything but writer state lies below `path`. */
  async #isDirectory(path: string): Promise<boolean> {
    for await (const page of listPages(this.store, this.store.keys.directoryPrefix(path), '/')) {
      if (page.prefixes.length > 0) return true;
      if (
        page.objects.some((object) => object.Key !== undefined && !isBookkeepingKey(object.Key))
      ) {
        return true;
      }
    }
    return false;
  }

  async #headFile(path: string): Promise<FileInfo | undefined> {
    try {
      const head = await this.store.client.send(
        new HeadObjectCommand({ Bucket: this.store.bucket, Key: this.store.keys.key(path) }),
      );
      return {
        path,
        size: head.ContentLength ?? 0,
        modTime: head.LastModified ?? epoch,
        isDir: false,
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async #get(path: string, range?: string) {
    try {
      return await this.store.client.send(
        new GetObjectCommand({
          Bucket: this.store.bucket,
          Key: this.store.keys.key(path),
          Range: range,
        }),
      );
    } catch (error) {
      if (isNoSuchKey(error)) throw new PathNotFoundError(path, { cause: error });
      throw error;
    }
  }

  async #emptyReader(path: string, offset: number): Promise<Readable> {
    const file = await this.#headFile(path);
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
