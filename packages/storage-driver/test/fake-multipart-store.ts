import { createHash } from 'node:crypto';
import {
  ObjectKeys,
  partRanges,
  type MultipartStore,
  type PartialState,
  type UploadedPart,
} from '../src/index.js';

interface Upload {
  readonly key: string;
  readonly parts: Map<number, Buffer>;
}

/**
 * An object store in memory with S3's multipart rules: parts are replaced by number,
 * completion names each part by its ETag, every part but the last must be at least
 * `minimumPartSize`, and a completed or aborted upload is gone. It records every call, and
 * fails the next calls of a method when told to.
 */
export class FakeMultipartStore implements MultipartStore {
  readonly keys = new ObjectKeys('/root');
  readonly objects = new Map<string, Buffer>();
  readonly uploads = new Map<string, Upload>();
  readonly partials = new Map<string, PartialState>();
  /** `method key …`, in order. */
  readonly calls: string[] = [];
  readonly #failures = new Map<string, number>();
  #lastUploadId = 0;

  constructor(
    readonly partSize = 4,
    readonly minimumPartSize = 3,
    readonly copyThresholdSize = 8,
  ) {}

  /** Makes the next `times` calls of `method` fail, before they change anything. */
  failNext(method: keyof MultipartStore, times = 1): void {
    this.#failures.set(method, times);
  }

  /** The calls of one method, without their arguments' prefix. */
  callsOf(method: keyof MultipartStore): string[] {
    return this.calls.filter((call) => call.startsWith(`${method} `));
  }

  createUpload(key: string): Promise<string> {
    return this.#call('createUpload', [key], () => {
      const uploadId = `upload-${String(++this.#lastUploadId)}`;
      this.uploads.set(uploadId, { key, parts: new Map() });
      return uploadId;
    });
  }

  uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string> {
    return this.#call('uploadPart', [key, uploadId, partNumber, body.length], () => {
      this.#upload(key, uploadId).parts.set(partNumber, Buffer.from(body));
      return etagOf(body);
    });
  }

  completeUpload(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void> {
    return this.#call('completeUpload', [key, uploadId, parts.length], () => {
      const upload = this.#upload(key, uploadId);
      const bodies = parts.map((part, index) => {
        const body = upload.parts.get(part.number);
        if (part.number !== index + 1 || body === undefined || etagOf(body) !== part.etag) {
          throw new Error(`InvalidPart ${String(part.number)}`);
        }
        if (index < parts.length - 1 && body.length < this.minimumPartSize) {
          throw new Error(`EntityTooSmall ${String(part.number)}`);
        }
        return body;
      });
      this.objects.set(key, Buffer.concat(bodies));
      this.uploads.delete(uploadId);
    });
  }

  abortUpload(key: string, uploadId: string): Promise<void> {
    return this.#call('abortUpload', [key, uploadId], () => {
      this.uploads.delete(uploadId);
    });
  }

  listParts(key: string, uploadId: string): Promise<UploadedPart[] | undefined> {
    return this.#call('listParts', [key, uploadId], () => {
      const upload = this.uploads.get(uploadId);
      if (upload?.key !== key) return undefined;
      // Newest first, to show the order does not matter.
      return [...upload.parts]
        .map(([number, body]) => ({ number, etag: etagOf(body), size: body.length }))
        .reverse();
    });
  }

  putObject(key: string, body: Buffer): Promise<void> {
    return this.#call('putObject', [key, body.length], () => {
      this.objects.set(key, Buffer.from(body));
    });
  }

  headObject(key: string): Promise<number | undefined> {
    return this.#call('headObject', [key], () => this.objects.get(key)?.length);
  }

  readObject(key: string): Promise<Buffer> {
    return this.#call('readObject', [key], () => {
      const object = this.objects.get(key);
      if (object === undefined) throw new Error(`NoSuchKey ${key}`);
      return Buffer.from(object);
    });
  }

  copyObject(key: string, sourceKey: string): Promise<void> {
    return this.#call('copyObject', [key, sourceKey], () => {
      const source = this.objects.get(sourceKey);
      if (source === undefined) throw new Error(`NoSuchKey ${sourceKey}`);
      this.objects.set(key, source);
    });
  }

  copyIntoParts(
    key: string,
    uploadId: string,
    sourceKey: string,
    size: number,
  ): Promise<UploadedPart[]> {
    return this.#call('copyIntoParts', [key, uploadId, sourceKey, size], () => {
      const source = this.objects.get(sourceKey);
      const upload = this.#upload(key, uploadId);
      if (source?.length !== size) throw new Error(`InvalidRange ${sourceKey}`);
      const limits = { minimum: this.minimumPartSize, maximum: Number.MAX_SAFE_INTEGER };
      return partRanges(size, this.partSize, limits).map((range, index) => {
        const body = source.subarray(range.start, range.end + 1);
        upload.parts.set(index + 1, body);
        return { number: index + 1, etag: etagOf(body), size: body.length };
      });
    });
  }

  readPartial(partialKey: string, withTail: boolean): Promise<PartialState | undefined> {
    return this.#call('readPartial', [partialKey, withTail], () => {
      const state = this.partials.get(partialKey);
      if (state === undefined || withTail) return state;
      return { ...state, tail: Buffer.alloc(0) };
    });
  }

  writePartial(partialKey: string, state: PartialState): Promise<void> {
    return this.#call(
      'writePartial',
      [partialKey, state.uploadId ?? '-', state.partCount, state.tail.length],
      () => {
        this.partials.set(partialKey, { ...state, tail: Buffer.from(state.tail) });
      },
    );
  }

  deletePartial(partialKey: string): Promise<void> {
    return this.#call('deletePartial', [partialKey], () => {
      this.partials.delete(partialKey);
    });
  }

  /** Records the call, then answers a turn later, as a store over the network does. */
  async #call<T>(
    method: keyof MultipartStore,
    args: readonly (string | number | boolean)[],
    answer: () => T,
  ): Promise<T> {
    this.calls.push([method, ...args].join(' '));
    await Promise.resolve();
    const failures = this.#failures.get(method) ?? 0;
    if (failures > 0) {
      this.#failures.set(method, failures - 1);
      throw new Error(`${method} failed`);
    }
    return answer();
  }

  #upload(key: string, uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (upload?.key !== key) throw new Error(`NoSuchUpload ${uploadId}`);
    return upload;
  }
}

function etagOf(body: Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}
