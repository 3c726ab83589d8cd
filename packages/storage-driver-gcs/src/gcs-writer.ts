import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { FileWriter } from '@lading/storage-driver';
import { composeInto } from './gcs-compose.js';
import { writePartial, type Base, type PartialState, type Segment } from './gcs-partial.js';
import { contentType, segmentsPrefix, type GcsStore } from './gcs-store.js';
import { deletePrefix, deleteQuietly } from './gcs-delete.js';

/**
 * Streams a file into GCS through resumable uploads, and makes it visible only on commit.
 *
 * Each writer's bytes become one segment object below `<name>~segments/`: bytes are held
 * until a whole chunk is there, then streamed into a resumable upload `chunksize` at a time.
 * `close()` finishes the segment and records the writer's state in `<name>~partial`, so any
 * process can go on with a new segment. `commit()` finishes the last segment and composes
 * the committed object it continues (if any) and every segment into the target, in one
 * server-side request per 32 sources, then removes the segments. A file smaller than a chunk,
 * written by one writer, is one plain upload.
 */
export class GcsWriter implements FileWriter {
  readonly #path: string;
  readonly #name: string;
  readonly #partialName: string;
  readonly #writerId: string;
  readonly #segments: Segment[];
  readonly #base: Base | undefined;
  /** Bytes of this writer's segment not yet handed to an upload. */
  #held: Buffer[] = [];
  #heldBytes = 0;
  #upload: Writable | undefined;
  #uploaded = 0;
  /** Why the upload failed, if it did. */
  #failure: Error | undefined;
  #partialExists: boolean;
  #contentCommitted = false;

  constructor(
    private readonly store: GcsStore,
    path: string,
    start: PartialState & { partialExists: boolean },
  ) {
    this.#path = path;
    this.#name = store.keys.key(path);
    this.#partialName = store.keys.partialKey(path);
    this.#writerId = start.writerId;
    this.#segments = [...start.segments];
    this.#base = start.base;
    this.#partialExists = start.partialExists;
  }

  get size(): number {
    const finished = this.#segments.reduce((sum, segment) => sum + segment.size, 0);
    return (this.#base?.size ?? 0) + finished + this.#uploaded + this.#heldBytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#upload !== undefined) return this.#send(chunk);
    this.#held.push(Buffer.from(chunk));
    this.#heldBytes += chunk.length;
    if (this.#heldBytes < this.store.chunkSize) return;
    // A whole chunk is here: from now on the segment streams through a resumable upload.
    const upload = this.store.bucket.file(this.#segmentName()).createWriteStream({
      resumable: true,
      chunkSize: this.store.chunkSize,
      validation: false,
      metadata: { contentType },
    });
    // Kept for the next call: an upload may fail between two of them.
    upload.on('error', (error: Error) => {
      this.#failure ??= error;
    });
    this.#upload = upload;
    const held = Buffer.concat(this.#held);
    this.#held = [];
    this.#heldBytes = 0;
    await this.#send(held);
  }

  async close(): Promise<void> {
    await this.#finishSegment();
    await writePartial(this.store, this.#partialName, this.#state());
    this.#partialExists = true;
  }

  /** May be called again after it failed; once the file is in place only the tidying up is. */
  async commit(): Promise<void> {
    if (!this.#contentCommitted) {
      if (this.#base === undefined && this.#segments.length === 0 && this.#upload === undefined) {
        // The whole file is in memory and under a chunk: one plain upload.
        await this.store.regulator.run(() =>
          this.store.bucket
            .file(this.#name)
            .save(Buffer.concat(this.#held), { resumable: false, contentType }),
        );
      } else {
        await this.#finishSegment();
        await this.#compose();
      }
      this.#contentCommitted = true;
    }
    await this.#tidy();
  }

  async cancel(): Promise<void> {
    this.#upload?.destroy();
    this.#upload = undefined;
    this.#held = [];
    this.#heldBytes = 0;
    await this.#tidy();
  }

  /** Removes every segment and the state: after a commit or a cancel nothing refers to them. */
  async #tidy(): Promise<void> {
    await deletePrefix(this.store, segmentsPrefix(this.store, this.#path));
    if (this.#partialExists) await deleteQuietly(this.store, this.#partialName);
    this.#partialExists = false;
  }

  async #compose(): Promise<void> {
    const sources = this.#segments.map((segment) => this.store.bucket.file(segment.name));
    if (this.#base !== undefined) {
      // Pinned to the generation this writer continues: a concurrent rewrite fails the commit.
      sources.unshift(this.store.bucket.file(this.#name, { generation: this.#base.generation }));
    }
    // Only the committed object, nothing appended: it stays as it is.
    if (sources.length === 1 && this.#base !== undefined) return;
    await composeInto(this.store, sources, this.#name, segmentsPrefix(this.store, this.#path));
  }

  /** Finishes this writer's segment: the upload's last chunk, or one plain upload. */
  async #finishSegment(): Promise<void> {
    const name = this.#segmentName();
    if (this.#upload !== undefined) {
      const upload = this.#upload;
      this.#throwIfFailed();
      const finished = once(upload, 'finish');
      upload.end();
      await finished;
      this.#segments.push({ name, size: this.#uploaded });
      this.#upload = undefined;
      this.#uploaded = 0;
    } else if (this.#heldBytes > 0) {
      const bytes = Buffer.concat(this.#held);
      await this.store.regulator.run(() =>
        this.store.bucket.file(name).save(bytes, { resumable: false, contentType }),
      );
      this.#segments.push({ name, size: bytes.length });
      this.#held = [];
      this.#heldBytes = 0;
    }
  }

  /** Writes to the upload, waiting when it asks to (backpressure) or failing with its error. */
  async #send(chunk: Uint8Array): Promise<void> {
    const upload = this.#upload;
    if (upload === undefined) return;
    this.#uploaded += chunk.length;
    this.#throwIfFailed();
    // `once` rejects if the upload fails while this waits.
    if (!upload.write(chunk)) await once(upload, 'drain');
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  #segmentName(): string {
    const number = String(this.#segments.length + 1).padStart(8, '0');
    return `${segmentsPrefix(this.store, this.#path)}${this.#writerId}-${number}`;
  }

  #state(): PartialState {
    return {
      writerId: this.#writerId,
      segments: this.#segments,
      ...(this.#base === undefined ? {} : { base: this.#base }),
    };
  }
}
