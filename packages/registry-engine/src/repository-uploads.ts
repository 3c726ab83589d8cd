import { randomUUID } from 'node:crypto';
import { Readable, Writable, pipeline as pipe } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Digester,
  canonicalAlgorithm,
  parseDigest,
  type DigestAlgorithm,
  type ParsedDigest,
} from '@lading/oci';
import {
  fileWriterStream,
  isStorageError,
  isValidPathComponent,
  settleAll,
  type FileWriter,
} from '@lading/storage-driver';
import type { BlobDescriptor } from './blob-descriptor-cache.js';
import { blobMediaType } from './blob-store.js';
import type { EngineContext } from './engine-context.js';
import {
  BlobUploadUnknownError,
  DigestMismatchError,
  UploadOffsetMismatchError,
} from './errors.js';
import type { RequestContext } from './events.js';
import { ignoringMissing } from './links.js';
import { uploadDataPath, uploadPath, uploadStartedAtPath } from './paths.js';
import { RepositoryBlobs } from './repository-blobs.js';
import { digestTap } from './streams.js';

export interface UploadStatus {
  readonly id: string;
  readonly repository: string;
  /** Bytes received so far: the next chunk starts here. */
  readonly size: number;
  readonly startedAt: Date;
}

/** A chunk of upload bytes: a stream (an HTTP request body) or a buffer. */
export type UploadSource = Readable | AsyncIterable<Uint8Array> | Uint8Array;

export interface CompleteOptions {
  /**
   * The size the upload must have before `finalChunk` (where the client
   * believes it stands); otherwise `UploadOffsetMismatchError`, and the
   * upload is left as it was. Checked under the upload's lock.
   */
  readonly offset?: number;
  /** A last chunk, sent with the completing request. */
  readonly finalChunk?: UploadSource;
  readonly context?: RequestContext;
}

/**
 * Blob uploads of one repository, kept in storage (`_uploads/<id>/`) so that
 * another process on the same storage — or this one after a restart — can
 * continue one. Data is written through a resumable storage writer and
 * becomes visible only when the upload completes and its digest checks out.
 */
export class RepositoryUploads {
  constructor(
    private readonly engine: EngineContext,
    readonly repository: string,
  ) {}

  /**
   * Starts an upload: records when, and creates its (empty) data file, so
   * that each later request finds it at the first try.
   */
  async start(): Promise<UploadStatus> {
    const id = randomUUID();
    const startedAt = new Date();
    // distribution's format: RFC 3339 in UTC, to the second.
    const stamp = `${startedAt.toISOString().slice(0, 19)}Z`;
    await this.engine.driver.putContent(
      uploadStartedAtPath(this.repository, id),
      Buffer.from(stamp),
    );
    await (await this.engine.driver.writer(uploadDataPath(this.repository, id))).close();
    return { id, repository: this.repository, size: 0, startedAt: new Date(stamp) };
  }

  /** Where the upload stands. `BlobUploadUnknownError` if there is no such upload. */
  async status(id: string): Promise<UploadStatus> {
    const startedAt = await this.startedAt(id);
    const writer = await this.openWriter(id);
    const { size } = writer;
    await writer.close();
    return { id, repository: this.repository, size, startedAt };
  }

  /**
   * Appends a chunk that must start at `offset`, the upload's current size;
   * otherwise `UploadOffsetMismatchError` carries the size to resume from.
   */
  append(id: string, offset: number, source: UploadSource): Promise<UploadStatus> {
    return this.engine.uploadLocks.run(this.lockKey(id), async () => {
      const startedAt = await this.startedAt(id);
      const size = await this.appendUnlocked(id, offset, source);
      return { id, repository: this.repository, size, startedAt };
    });
  }

  /** Abandons the upload and removes everything it stored. */
  cancel(id: string): Promise<void> {
    return this.engine.uploadLocks.run(this.lockKey(id), async () => {
      await this.startedAt(id);
      await this.discard(id);
    });
  }

  /**
   * Finishes the upload as the blob `digest`: checks the digest of everything
   * received (`DigestMismatchError`, and the upload is discarded), moves the
   * data into the blob store — unless the blob is there already — and links
   * it into the repository.
   */
  complete(id: string, digest: string, options: CompleteOptions = {}): Promise<BlobDescriptor> {
    const expected = parseDigest(digest);
    return this.engine.uploadLocks.run(this.lockKey(id), async () => {
      await this.startedAt(id);
      // One writer takes the last chunk, if any, and commits: no reopening in between.
      const writer = await this.openWriter(id);
      if (options.offset !== undefined && writer.size !== options.offset) {
        await writer.close();
        throw new UploadOffsetMismatchError(id, options.offset, writer.size);
      }
      if (options.finalChunk !== undefined) {
        await this.receive(id, writer, writer.size, options.finalChunk, { closeAfter: false });
      }
      const { size } = writer;
      await writer.commit();
      const canonical = await this.verify(id, expected, size);
      const descriptor = { digest: expected.digest, size, mediaType: blobMediaType };
      await this.engine.blobStore.moveIntoPlace(
        uploadDataPath(this.repository, id),
        canonical,
        size,
      );
      // The upload's own files are no longer needed: removed while the blob is linked.
      await settleAll([
        new RepositoryBlobs(this.engine, this.repository).link(expected.digest, canonical),
        this.discard(id),
      ]);
      await this.engine.events.emit(
        'push',
        { kind: 'blob', repository: this.repository, ...descriptor },
        options.context,
      );
      return descriptor;
    });
  }

  /**
   * A whole blob in one call (a monolithic upload). Without `digest`, the
   * content's own sha256 digest is used, so nothing is verified.
   */
  async upload(
    source: UploadSource,
    options: { digest?: string; context?: RequestContext } = {},
  ): Promise<BlobDescriptor> {
    if (options.digest !== undefined) parseDigest(options.digest);
    // Without a digest to check, take the content's own on the way in.
    const own = new Digester();
    const content =
      options.digest === undefined
        ? pipe(asReadable(source), digestTap([own]), () => undefined)
        : source;
    const { id } = await this.start();
    await this.append(id, 0, content);
    return this.complete(id, options.digest ?? own.digest(), { context: options.context });
  }

  private async appendUnlocked(id: string, offset: number, source: UploadSource): Promise<number> {
    const writer = await this.openWriter(id);
    if (writer.size !== offset) {
      await writer.close();
      throw new UploadOffsetMismatchError(id, offset, writer.size);
    }
    return this.receive(id, writer, offset, source, { closeAfter: true });
  }

  /**
   * Streams `source` into `writer` (at `offset`, its size), feeding the running
   * hash. The writer is closed on failure, and afterwards if `closeAfter`.
   */
  private async receive(
    id: string,
    writer: FileWriter,
    offset: number,
    source: UploadSource,
    { closeAfter }: { closeAfter: boolean },
  ): Promise<number> {
    const hashKey = this.lockKey(id);
    const running =
      this.engine.uploadHashes.take(hashKey, offset) ?? (offset === 0 ? new Digester() : undefined);
    try {
      await pipeline(
        asReadable(source),
        digestTap(running === undefined ? [] : [running]),
        fileWriterStream(writer),
      );
    } catch (error) {
      // What reached storage stays (the client resumes from the size); the hash cannot.
      this.engine.uploadHashes.forget(hashKey);
      await writer.close();
      throw error;
    }
    if (closeAfter) await writer.close();
    if (running !== undefined) this.engine.uploadHashes.keep(hashKey, running);
    return writer.size;
  }

  /** The canonical digest of the committed upload data, checked against `expected`. */
  private async verify(id: string, expected: ParsedDigest, size: number): Promise<string> {
    const hashKey = this.lockKey(id);
    const running = this.engine.uploadHashes.take(hashKey, size);
    this.engine.uploadHashes.forget(hashKey);
    let canonical = running?.digest();
    let actual = expected.algorithm === canonicalAlgorithm ? canonical : undefined;
    if (canonical === undefined || actual === undefined) {
      // No running hash here (another process received the bytes), or another algorithm.
      [canonical, actual] = await this.digestOfData(id, expected.algorithm);
    }
    if (actual !== expected.digest) {
      await this.discard(id);
      throw new DigestMismatchError(expected.digest, actual);
    }
    return canonical;
  }

  /** Reads the committed upload data back: its sha256 digest and its `algorithm` digest. */
  private async digestOfData(id: string, algorithm: DigestAlgorithm): Promise<[string, string]> {
    const sha256 = new Digester(canonicalAlgorithm);
    const other = new Digester(algorithm);
    const data = await this.engine.driver.reader(uploadDataPath(this.repository, id));
    await pipeline(data, digestTap([sha256, other]), devNull());
    return [sha256.digest(), other.digest()];
  }

  private async openWriter(id: string): Promise<FileWriter> {
    const path = uploadDataPath(this.repository, id);
    try {
      return await this.engine.driver.writer(path, true);
    } catch (error) {
      // An upload distribution started has no data until its first chunk.
      if (isStorageError(error, 'PATH_NOT_FOUND')) return this.engine.driver.writer(path, false);
      throw error;
    }
  }

  private async startedAt(id: string): Promise<Date> {
    if (!isValidPathComponent(id)) throw new BlobUploadUnknownError(this.repository, id);
    let content: Buffer;
    try {
      content = await this.engine.driver.getContent(uploadStartedAtPath(this.repository, id));
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND'))
        throw new BlobUploadUnknownError(this.repository, id);
      throw error;
    }
    const startedAt = new Date(content.toString('utf8').trim());
    return Number.isNaN(startedAt.getTime()) ? new Date(0) : startedAt;
  }

  private async discard(id: string): Promise<void> {
    this.engine.uploadHashes.forget(this.lockKey(id));
    await ignoringMissing(this.engine.driver.delete(uploadPath(this.repository, id)));
  }

  private lockKey(id: string): string {
    return `${this.repository}@${id}`;
  }
}

function asReadable(source: UploadSource): Readable {
  if (source instanceof Readable) return source;
  if (source instanceof Uint8Array) return Readable.from([source], { objectMode: false });
  return Readable.from(source, { objectMode: false });
}

/** A sink that drops what it is given (the data was only read to be hashed). */
function devNull(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}
