import { PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { FileWriter } from '@lading/storage-driver';
import { completeUpload, createUpload, requireETag, type UploadedPart } from './s3-copy.js';
import { abortUpload } from './s3-listing.js';
import { deletePartial, writePartial } from './s3-partial.js';
import type { S3Store } from './s3-store.js';

const initialBufferSize = 64 * 1024;

/** Where a writer starts: parts already in the store, and bytes not yet sent. */
export interface WriterStart {
  readonly uploadId?: string;
  readonly parts: readonly UploadedPart[];
  readonly tail: Buffer;
  /** Whether a `~partial` state object exists that commit or cancel must remove. */
  readonly partialExists: boolean;
}

/**
 * Streams a file into an S3 multipart upload, one `chunkSize` part at a
 * time, uploading each part while the next one fills (so at most two parts
 * are in memory). Nothing is visible at the key until `commit()`, which
 * completes the upload — or, for a file smaller than one part, is a single
 * PutObject. `close()` keeps the upload open and saves the unsent tail in
 * the `~partial` state object, so a writer in any process can resume.
 */
export class S3Writer implements FileWriter {
  readonly #key: string;
  readonly #partialKey: string;
  #uploadId: string | undefined;
  readonly #parts: UploadedPart[];
  /** Full parts not yet acknowledged by the store; the first may be in flight. */
  readonly #queue: Buffer[] = [];
  #current: Buffer;
  #filled = 0;
  #inFlight: Promise<void> | undefined;
  #partialExists: boolean;
  #size: number;

  constructor(
    private readonly store: S3Store,
    path: string,
    start: WriterStart,
  ) {
    this.#key = store.keys.key(path);
    this.#partialKey = store.keys.partialKey(path);
    this.#uploadId = start.uploadId;
    this.#parts = [...start.parts];
    this.#partialExists = start.partialExists;
    this.#size = this.#parts.reduce((sum, part) => sum + part.Size, 0);
    // Small files stay small in memory: the first part buffer grows as it fills.
    this.#current = Buffer.allocUnsafe(Math.min(initialBufferSize, store.chunkSize));
    this.#take(start.tail);
  }

  get size(): number {
    return this.#size;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#take(chunk);
    // Return with at most one full part left, and that one on its way: a large write
    // waits part by part instead of piling up parts in memory.
    for (;;) {
      this.#startNextUpload();
      if (this.#queue.length <= 1) return;
      await this.#settle();
    }
  }

  async close(): Promise<void> {
    await this.#settle().catch(() => undefined);
    await writePartial(this.store, this.#partialKey, {
      ...(this.#uploadId === undefined ? {} : { uploadId: this.#uploadId }),
      partCount: this.#parts.length,
      tail: this.#unsent(),
    });
    this.#partialExists = true;
  }

  async commit(): Promise<void> {
    await this.#settle();
    if (this.#uploadId === undefined && this.#queue.length === 0) {
      await this.#putWhole(this.#unsent());
    } else {
      while (this.#queue.length > 0) {
        this.#startNextUpload();
        await this.#settle();
      }
      if (this.#filled > 0) await this.#uploadPart(this.#current.subarray(0, this.#filled));
      await this.#complete();
    }
    if (this.#partialExists) await deletePartial(this.store, this.#partialKey);
    this.#partialExists = false;
  }

  async cancel(): Promise<void> {
    await this.#settle().catch(() => undefined);
    if (this.#uploadId !== undefined) await abortUpload(this.store, this.#key, this.#uploadId);
    if (this.#partialExists) await deletePartial(this.store, this.#partialKey);
    this.#partialExists = false;
  }

  /** Copies bytes into the part being filled, queueing each part that fills up. */
  #take(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      this.#reserve(bytes.length - offset);
      const count = Math.min(bytes.length - offset, this.#current.length - this.#filled);
      this.#current.set(bytes.subarray(offset, offset + count), this.#filled);
      this.#filled += count;
      offset += count;
      if (this.#filled === this.store.chunkSize) {
        this.#queue.push(this.#current);
        this.#current = Buffer.allocUnsafe(this.store.chunkSize);
        this.#filled = 0;
      }
    }
    this.#size += bytes.length;
  }

  /** Grows the buffer being filled towards a whole part, for `wanted` more bytes. */
  #reserve(wanted: number): void {
    const capacity = this.#current.length;
    if (capacity === this.store.chunkSize || this.#filled + wanted <= capacity) return;
    const grown = Math.min(this.store.chunkSize, Math.max(2 * capacity, this.#filled + wanted));
    const replacement = Buffer.allocUnsafe(grown);
    this.#current.copy(replacement, 0, 0, this.#filled);
    this.#current = replacement;
  }

  /** Sends the first queued part unless a send is running; it leaves the queue on success. */
  #startNextUpload(): void {
    const piece = this.#queue[0];
    if (this.#inFlight !== undefined || piece === undefined) return;
    const upload = this.#uploadPart(piece)
      .then(() => {
        this.#queue.shift();
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
    upload.catch(() => undefined); // observed by #settle
    this.#inFlight = upload;
  }

  /** Waits for the running send; a failed part stays queued for the next attempt. */
  async #settle(): Promise<void> {
    if (this.#inFlight !== undefined) await this.#inFlight;
  }

  async #uploadPart(piece: Buffer): Promise<void> {
    this.#uploadId ??= await createUpload(this.store, this.#key);
    const partNumber = this.#parts.length + 1;
    const result = await this.store.client.send(
      new UploadPartCommand({
        Bucket: this.store.bucket,
        Key: this.#key,
        UploadId: this.#uploadId,
        PartNumber: partNumber,
        Body: piece,
        ContentLength: piece.length,
      }),
    );
    this.#parts.push({
      PartNumber: partNumber,
      ETag: requireETag(result.ETag, partNumber),
      Size: piece.length,
    });
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
    await this.store.client.send(
      new PutObjectCommand({
        Bucket: this.store.bucket,
        Key: this.#key,
        Body: content,
        ContentLength: content.length,
        ...this.store.newObject,
      }),
    );
  }

  /** Every byte not yet in a part: queued parts and the one being filled. */
  #unsent(): Buffer {
    return Buffer.concat([...this.#queue, this.#current.subarray(0, this.#filled)]);
  }
}
