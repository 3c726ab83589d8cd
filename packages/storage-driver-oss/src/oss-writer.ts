import { PartUploader, type FileWriter } from '@lading/storage-driver';
import { completeUpload, createUpload, type UploadedPart } from './oss-copy.js';
import { abortUpload } from './oss-listing.js';
import { deletePartial, writePartial } from './oss-partial.js';
import type { OssStore } from './oss-store.js';

/** Where a writer starts: parts already in the store, and bytes not yet sent. */
export interface WriterStart {
  readonly uploadId?: string;
  readonly parts: readonly UploadedPart[];
  readonly tail: Buffer;
  /** Whether a `~partial` state object exists that commit or cancel must remove. */
  readonly partialExists: boolean;
}

/**
 * Streams a file into an OSS multipart upload, one `chunkSize` part at a time
 * (`PartUploader`: at most two parts in memory). Nothing is visible at the key until
 * `commit()`, which completes the upload — or, for a file smaller than one part, is a single
 * PutObject. `close()` keeps the upload open and saves the unsent tail in the `~partial`
 * state object, so a writer in any process can resume.
 */
export class OssWriter implements FileWriter {
  readonly #key: string;
  readonly #partialKey: string;
  #uploadId: string | undefined;
  readonly #parts: UploadedPart[];
  readonly #uploader: PartUploader;
  readonly #startSize: number;
  #partialExists: boolean;

  constructor(
    private readonly store: OssStore,
    path: string,
    start: WriterStart,
  ) {
    this.#key = store.keys.key(path);
    this.#partialKey = store.keys.partialKey(path);
    this.#uploadId = start.uploadId;
    this.#parts = [...start.parts];
    this.#startSize = start.parts.reduce((sum, part) => sum + part.size, 0);
    this.#partialExists = start.partialExists;
    this.#uploader = new PartUploader(
      store.chunkSize,
      (part) => this.#uploadPart(part),
      start.tail,
    );
  }

  get size(): number {
    return this.#startSize + this.#uploader.taken;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#uploader.write(chunk);
  }

  async close(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    await writePartial(this.store, this.#partialKey, {
      ...(this.#uploadId === undefined ? {} : { uploadId: this.#uploadId }),
      partCount: this.#parts.length,
      tail: this.#uploader.unsent(),
    });
    this.#partialExists = true;
  }

  async commit(): Promise<void> {
    await this.#uploader.settle();
    if (this.#uploadId === undefined && !this.#uploader.hasWholeParts) {
      await this.#putWhole(this.#uploader.unsent());
    } else {
      await this.#uploader.flush();
      const last = this.#uploader.unsent();
      if (last.length > 0) await this.#uploadPart(last);
      await this.#complete();
    }
    if (this.#partialExists) await deletePartial(this.store, this.#partialKey);
    this.#partialExists = false;
  }

  async cancel(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    if (this.#uploadId !== undefined) await abortUpload(this.store, this.#key, this.#uploadId);
    if (this.#partialExists) await deletePartial(this.store, this.#partialKey);
    this.#partialExists = false;
  }

  async #uploadPart(piece: Buffer): Promise<void> {
    this.#uploadId ??= await createUpload(this.store, this.#key);
    const uploadId = this.#uploadId;
    const number = this.#parts.length + 1;
    const result = await this.store.call((client) =>
      client.uploadPart(this.#key, uploadId, number, piece, 0, piece.length),
    );
    this.#parts.push({ number, etag: result.etag, size: piece.length });
  }

  async #complete(): Promise<void> {
    const uploadId = this.#uploadId;
    if (uploadId === undefined) return;
    if (this.#parts.length === 0) {
      // An upload whose every part failed before a commit of nothing: store the empty file.
      await this.#putWhole(Buffer.alloc(0));
      await abortUpload(this.store, this.#key, uploadId);
    } else {
      await completeUpload(this.store, this.#key, uploadId, this.#parts);
    }
    this.#uploadId = undefined;
  }

  async #putWhole(content: Buffer): Promise<void> {
    await this.store.call((client) =>
      client.put(this.#key, content, { headers: { ...this.store.newObjectHeaders } }),
    );
  }
}
