import type { ObjectKeys } from './object-keys.js';

/** A part of a multipart upload, as a complete call wants it, with its size. */
export interface UploadedPart {
  /** 1 for the first part. */
  readonly number: number;
  /** What the store answered for the part, to name it again on completion. */
  readonly etag: string;
  /** Bytes in the part. */
  readonly size: number;
}

/**
 * A closed writer's state, kept in one object beside its target (`<key>~partial`, see
 * `ObjectKeys.partialKey`): the multipart upload and how many of its parts are the writer's,
 * and the unsent tail — fewer bytes than a part. Stores refuse a part under their minimum
 * unless it is the last, so the tail cannot be a part yet; keeping it here lets any process
 * resume without re-uploading a byte the store already holds. Counting parts makes a crash
 * harmless: a part uploaded after the last close is ignored, and overwritten on resume.
 */
export interface PartialState {
  /** None while the writer had not yet sent a whole part. */
  readonly uploadId?: string;
  readonly partCount: number;
  readonly tail: Buffer;
}

/**
 * An object store's multipart API, as `MultipartWriter` and `openMultipartWriter` use it: a
 * driver implements it with its SDK's calls and nothing else. Keys are object keys (see
 * `keys`). Errors other than the "not there" answers below are thrown as the SDK throws them.
 */
export interface MultipartStore {
  /** Paths ↔ object keys, and where a path's writer keeps its state. */
  readonly keys: ObjectKeys;
  /** The part size of writers; a writer holds at most about twice this in memory. */
  readonly partSize: number;
  /**
   * The store's floor for every part but the last. A committed object smaller than this is
   * read back as a writer's tail when appended to; a larger one is copied into parts.
   */
  readonly minimumPartSize: number;
  /** Objects up to this size are moved by one `copyObject`; larger ones through parts. */
  readonly copyThresholdSize: number;

  /** Starts a multipart upload at `key`, with the settings of new objects; its upload id. */
  createUpload(key: string): Promise<string>;
  /** Uploads (or replaces) part `partNumber` of the upload; the part's ETag. */
  uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string>;
  /** Completes the upload from `parts`, in order: the object appears at `key`. */
  completeUpload(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void>;
  /** Aborts the upload; one that is already gone (completed, aborted, expired) is fine. */
  abortUpload(key: string, uploadId: string): Promise<void>;
  /**
   * Every part the upload holds, in any order, with their sizes (a resumed writer's size
   * counts them), or undefined when the upload is gone (a commit completed it and crashed
   * before removing its state, or a lifecycle rule expired it). Parts beyond the writer's
   * count may be among them; the caller leaves them out.
   */
  listParts(key: string, uploadId: string): Promise<UploadedPart[] | undefined>;

  /** Stores `body` at `key` in one request, with the settings of new objects. */
  putObject(key: string, body: Buffer): Promise<void>;
  /** The size of the committed object at `key`, or undefined when there is none. */
  headObject(key: string): Promise<number | undefined>;
  /** The whole committed object at `key` (called only for one that exists, and is small). */
  readObject(key: string): Promise<Buffer>;
  /** Copies `sourceKey` to `key` in one server-side request, with the settings of new objects. */
  copyObject(key: string, sourceKey: string): Promise<void>;
  /**
   * Copies the whole of `sourceKey` (`size` bytes, at least `minimumPartSize`) into parts
   * 1…n of the upload, server-side, so its bytes never pass through this process.
   */
  copyIntoParts(
    key: string,
    uploadId: string,
    sourceKey: string,
    size: number,
  ): Promise<UploadedPart[]>;

  /** The state at `partialKey`, with the tail only when `withTail`; undefined when none. */
  readPartial(partialKey: string, withTail: boolean): Promise<PartialState | undefined>;
  /** Saves `state` at `partialKey`, replacing what was there. */
  writePartial(partialKey: string, state: PartialState): Promise<void>;
  /** Removes the state at `partialKey`. */
  deletePartial(partialKey: string): Promise<void>;
}
