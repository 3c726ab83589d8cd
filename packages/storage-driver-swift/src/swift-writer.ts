import { PartUploader, type FileWriter } from '@lading/storage-driver';
import { putObject } from './swift-objects.js';
import { deletePartialObject, writePartial } from './swift-partial.js';
import {
  committedSegments,
  deleteSegments,
  deleteSegmentsUnder,
  putManifest,
  putSegment,
  segmentName,
  totalSize,
  type Segment,
} from './swift-segments.js';
import type { SwiftStore } from './swift-store.js';

/** Where a writer starts: the file's segments so far, and bytes not yet sent. */
export interface WriterStart {
  readonly segmentsPath: string;
  /** Committed content it continues and its own earlier segments, in order. */
  readonly segments: readonly Segment[];
  readonly tail: Buffer;
  /** Whether a `~partial` state object exists that commit or cancel must remove. */
  readonly partialExists: boolean;
}

/**
 * Streams a file into `chunkSize` segments below a path of its own (`PartUploader`: at most
 * two in memory), and commits it as a Static Large Object manifest, so a file is not bound
 * by Swift's limit on one object. A file smaller than one segment is one plain PUT. Nothing
 * is visible at the path until `commit()`. `close()` saves the segment list and the unsent
 * tail in the `~partial` object, so a writer in any process can resume.
 */
export class SwiftWriter implements FileWriter {
  readonly #name: string;
  readonly #partialName: string;
  readonly #segmentsPath: string;
  readonly #segments: Segment[];
  /** Segments of this writer's own path so far; the next one is numbered after them. */
  #ownSegments: number;
  readonly #uploader: PartUploader;
  readonly #startSize: number;
  #partialExists: boolean;
  /** What a commit found at the path before replacing it (kept for a retried commit). */
  #replaced: Segment[] | undefined;
  #lastPieceSent = false;
  #contentCommitted = false;

  constructor(
    private readonly store: SwiftStore,
    path: string,
    start: WriterStart,
  ) {
    this.#name = store.keys.key(path);
    this.#partialName = store.keys.partialKey(path);
    this.#segmentsPath = start.segmentsPath;
    this.#segments = [...start.segments];
    const own = `/${store.container}/${start.segmentsPath}/`;
    this.#ownSegments = start.segments.filter((segment) => segment.path.startsWith(own)).length;
    this.#startSize = totalSize(start.segments);
    this.#partialExists = start.partialExists;
    this.#uploader = new PartUploader(
      store.chunkSize,
      (part) => this.#uploadSegment(part),
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
    await writePartial(this.store, this.#partialName, {
      segmentsPath: this.#segmentsPath,
      segments: this.#segments,
      tail: this.#uploader.unsent(),
    });
    this.#partialExists = true;
  }

  /**
   * May be called again after it failed: the last segment is not uploaded twice, and once
   * the file is in place only the tidying up is retried.
   */
  async commit(): Promise<void> {
    if (this.#replaced === undefined) {
      await this.#uploader.settle();
      this.#replaced = await committedSegments(this.store, this.#name);
    }
    if (!this.#contentCommitted) {
      if (this.#segments.length === 0 && !this.#uploader.hasWholeParts) {
        await putObject(this.store, this.#name, this.#uploader.unsent());
      } else {
        await this.#uploader.flush();
        const last = this.#uploader.unsent();
        if (last.length > 0 && !this.#lastPieceSent) {
          await this.#uploadSegment(last);
          this.#lastPieceSent = true;
        }
        await putManifest(this.store, this.#name, this.#segments);
      }
      this.#contentCommitted = true;
    }
    // What the new content no longer needs: the replaced file's segments, and segments a
    // crashed writer uploaded after its last close.
    await deleteSegments(this.store, this.#replaced, this.#segments);
    await deleteSegmentsUnder(this.store, this.#segmentsPath, this.#segments);
    if (this.#partialExists) await deletePartialObject(this.store, this.#partialName);
    this.#partialExists = false;
  }

  async cancel(): Promise<void> {
    await this.#uploader.settle().catch(() => undefined);
    // The committed file may list segments of this path: a commit that crashed before
    // removing its state leaves them behind it.
    await deleteSegmentsUnder(
      this.store,
      this.#segmentsPath,
      await committedSegments(this.store, this.#name),
    );
    if (this.#partialExists) await deletePartialObject(this.store, this.#partialName);
    this.#partialExists = false;
  }

  async #uploadSegment(bytes: Buffer): Promise<void> {
    const name = segmentName(this.#segmentsPath, this.#ownSegments + 1);
    this.#segments.push(await putSegment(this.store, name, bytes));
    this.#ownSegments += 1;
  }
}
