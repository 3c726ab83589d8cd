import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
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
import { isInvalidRange, isNoSuchKey } from './s3-errors.js';
import { abortUploadsAt, deleteKeys, listLevel, listPages } from './s3-listing.js';
import { S3MultipartStore } from './s3-multipart.js';
import type { S3Store } from './s3-store.js';

/** Implicit directories have no time of their own. */
const epoch = new Date(0);

/**
 * Storage in an S3 bucket, with distribution's key layout. Directories are
 * key prefixes; `~` keys are the driver's own writer state, never shown.
 */
export class S3Backend implements StorageBackend {
  readonly name = 's3';
  readonly #tree: ObjectTree;
  readonly #multipart: S3MultipartStore;

  constructor(
    private readonly store: S3Store,
    private readonly redirectExpirySeconds: number,
  ) {
    this.#tree = new ObjectTree({
      head: (path) => this.#headFile(path),
      listLevel: (path) => listLevel(store, path),
    });
    this.#multipart = new S3MultipartStore(store);
  }

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
    if (length === 0) return this.#tree.emptyReader(path, offset);
    const last = length === undefined ? '' : String(offset + length - 1);
    const range =
      offset === 0 && length === undefined ? undefined : `bytes=${String(offset)}-${last}`;
    try {
      const object = await this.#get(path, range);
      return object.Body as Readable;
    } catch (error) {
      // S3 answers a range starting at the end with 416; the contract wants an empty stream there.
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

  async move(source: string, destination: string): Promise<void> {
    const file = await this.#headFile(source);
    if (file === undefined) throw new PathNotFoundError(source);
    const sourceKey = this.store.keys.key(source);
    await copyServerSide(this.#multipart, sourceKey, this.store.keys.key(destination), file.size);
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

  walk(path: string, visitor: WalkVisitor): Promise<void> {
    return this.#tree.walk(path, visitor);
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
}
