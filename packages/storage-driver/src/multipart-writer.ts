import type { MultipartStore, UploadedPart } from './multipart-store.js';
import { PartUploader } from './part-uploader.js';
import type { FileWriter } from './storage-driver.js';

/** Where a writer starts: parts already in the store, and bytes not yet sent. */
export interface MultipartWriterStart {
  /** The open upload that `parts` belong to; none before the first whole part. */
  readonly uploadId?: string;
  readonly parts: readonly UploadedPart[];
  readonly tail: Buffer;
  /** Whether a `~partial` state object exists that commit or cancel must remove. */
  readonly partialExists: boolean;
}

/**
 * Streams a file into a multipart upload, one `partSize` part at a time (`PartUploader`: at
 * most two parts in memory). Nothing is visible at the key until `commit()`, which completes
 * the upload — or, for a file smaller than one part, is a single `putObject`. `close()` keeps
 * the upload open and saves the unsent tail in the `~partial` state object, so a writer in
 * any process can resume (`openMultipartWriter`).
 *
 * Like every backend writer it relies on `BaseFileWriter` for one call at a time and no use
 * after the end; a failed commit or cancel leaves it usable for another try.
 */
export class MultipartWriter implements FileWriter {
  readonly #key: string;
  readonly #partialKey: string;
  #uploadId: string | undefined;
  readonly #parts: UploadedPart[];
  readonly #uploader: PartUploader;
  /** Bytes in the parts the writer started with. */
  readonly #startSize: number;
  #partialExists: boolean;
  /** The unsent tail went out as the upload's last part (a retried commit must not resend it). */
  #lastPieceSent = false;
  /** The file is in place; a retried commit only tidies up. */
  #contentCommitted = false;

  constructor(
    private readonly store: MultipartStore,
    path: string,
    start: MultipartWriterStart,
  ) {
    this.#key = store.keys.key(path);
    this.#partialKey = store.keys.partialKey(path);
    this.#uploadId = start.uploadId;
    this.#parts = [...start.parts];
    this.#startSize = start.parts.reduce((sum, part) => sum + part.size, 0);
    this.#partialExists = start.partialExists;
    this.#uploader = new PartUploader(store.partSize, (part) => this.#uploadPart(part), start.tail);
  }

  get size(): number {
    return this.#startSize + this.#uploader.taken;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#uploader.write(chunk);
  }

  /** Saves the state; a part that failed to send is part of the saved tail, so no byte is lost. */
  async close(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    await this.store.writePartial(this.#partialKey, {
      ...(this.#uploadId === undefined ? {} : { uploadId: this.#uploadId }),
      partCount: this.#parts.length,
      tail: this.#uploader.unsent(),
    });
    this.#partialExists = true;
  }

  /**
   * May be called again after it failed: a last piece already sent is not sent again, and
   * once the content is in place only the tidying up is retried (putting the tail again
   * would replace the completed object with it).
   */
  async commit(): Promise<void> {
    if (!this.#contentCommitted) {
      await this.#uploader.settle();
      if (this.#uploadId === undefined && !this.#uploader.hasWholeParts) {
        await this.store.putObject(this.#key, this.#uploader.unsent());
      } else {
        await this.#uploader.flush();
        const last = this.#uploader.unsent();
        if (last.length > 0 && !this.#lastPieceSent) {
          await this.#uploadPart(last);
          this.#lastPieceSent = true;
        }
        await this.#complete();
      }
      this.#contentCommitted = true;
    }
    if (this.#partialExists) await this.store.deletePartial(this.#partialKey);
    this.#partialExists = false;
  }

  async cancel(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    if (this.#uploadId !== undefined) await this.store.abortUpload(this.#key, this.#uploadId);
    if (this.#partialExists) await this.store.deletePartial(this.#partialKey);
    this.#partialExists = false;
  }

  async #uploadPart(piece: Buffer): Promise<void> {
    this.#uploadId ??= await this.store.createUpload(this.#key);
    const number = this.#parts.length + 1;
    const etag = await this.store.uploadPart(this.#key, this.#uploadId, number, piece);
    this.#parts.push({ number, etag, size: piece.length });
  }

  async #complete(): Promise<void> {
    const uploadId = this.#uploadId;
    /* c8 ignore next -- for the type: commit() gets here only once a part has made the upload */
    if (uploadId === undefined) return;
    if (this.#parts.length === 0) {
      // An upload whose every part failed before a commit of nothing: store the empty file.
      await this.store.putObject(this.#key, Buffer.alloc(0));
      await this.store.abortUpload(this.#key, uploadId);
    } else {
      await this.store.completeUpload(this.#key, uploadId, this.#parts);
    }
    this.#uploadId = undefined;
  }
}
