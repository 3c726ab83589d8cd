import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { noSuchUpload } from './errors.js';
import type { ObjectMetadata } from './object-record.js';
import { KeyedLock, readJson, removeQuietly, writeJsonAtomically } from '@lading/emulator-kit';

/** A multipart upload in progress. */
export interface UploadRecord {
  /** 32 upper-case hex digits; the first 12 are the time, so ids sort by initiation. */
  uploadId: string;
  bucket: string;
  key: string;
  /** Epoch milliseconds. */
  initiated: number;
  /** From InitiateMultipartUpload: what the object gets when the upload completes. */
  metadata: ObjectMetadata;
}

/** One uploaded part. */
export interface PartRecord {
  partNumber: number;
  /** Upper-case hex MD5 of the part, unquoted. */
  etag: string;
  size: number;
  /** Epoch milliseconds. */
  lastModified: number;
  /** The data file's name in the upload's directory. */
  dataFile: string;
}

const uploadIdPattern = /^[0-9A-F]{32}$/;

/**
 * Multipart uploads on disk, read from disk on every call, so they survive a restart:
 *
 * ```
 * DIRECTORY/uploads/<upload id>/
 *   upload.json                   the upload
 *   <part number>.json            a part's record
 *   <part number>.<uuid>.data     its bytes; a part uploaded again gets a new file
 * ```
 */
export class UploadStore {
  private readonly locks = new KeyedLock();
  // The time part of the last id made: ids made within one millisecond still sort in order.
  private lastIdTime = 0;

  private constructor(private readonly directory: string) {}

  /** Opens the uploads under `directory`, dropping part bytes no record refers to. */
  static async open(directory: string): Promise<UploadStore> {
    await mkdir(directory, { recursive: true });
    const store = new UploadStore(directory);
    for (const uploadId of await readdir(directory)) await store.clean(uploadId);
    return store;
  }

  async create(bucket: string, key: string, metadata: ObjectMetadata): Promise<UploadRecord> {
    const initiated = Date.now();
    this.lastIdTime = Math.max(initiated, this.lastIdTime + 1);
    const uploadId = (
      this.lastIdTime.toString(16).padStart(12, '0') + randomBytes(10).toString('hex')
    ).toUpperCase();
    const upload: UploadRecord = { uploadId, bucket, key, initiated, metadata };
    await mkdir(this.uploadDirectory(uploadId));
    await writeJsonAtomically(join(this.uploadDirectory(uploadId), 'upload.json'), upload);
    return upload;
  }

  /** The upload `uploadId` of this bucket and key; 404 NoSuchUpload otherwise. */
  async get(uploadId: string, bucket: string, key: string): Promise<UploadRecord> {
    const upload = await this.find(uploadId);
    if (upload?.bucket !== bucket || upload.key !== key) throw noSuchUpload(uploadId);
    return upload;
  }

  /** Every upload of `bucket`, in no particular order. */
  async list(bucket: string): Promise<UploadRecord[]> {
    const uploads: UploadRecord[] = [];
    for (const uploadId of await readdir(this.directory)) {
      const upload = await this.find(uploadId);
      if (upload?.bucket === bucket) uploads.push(upload);
    }
    return uploads;
  }

  /** A fresh path for a part's bytes; pass its name to putPart(). */
  newPartFile(uploadId: string, partNumber: number): { name: string; path: string } {
    const name = `${String(partNumber)}.${randomUUID()}.data`;
    return { name, path: join(this.uploadDirectory(uploadId), name) };
  }

  partPath(uploadId: string, part: PartRecord): string {
    return join(this.uploadDirectory(uploadId), part.dataFile);
  }

  /**
   * Records a part whose bytes are in place, replacing one of the same number. If the upload
   * completed or was aborted meanwhile, the bytes are dropped and it is 404 NoSuchUpload.
   */
  async putPart(upload: UploadRecord, part: PartRecord): Promise<void> {
    const directory = this.uploadDirectory(upload.uploadId);
    await this.run(upload.uploadId, async () => {
      if ((await this.find(upload.uploadId)) === undefined) {
        await removeQuietly(join(directory, part.dataFile));
        throw noSuchUpload(upload.uploadId);
      }
      const recordPath = join(directory, `${String(part.partNumber)}.json`);
      const previous = await readJson<PartRecord>(recordPath).catch(() => undefined);
      await writeJsonAtomically(recordPath, part);
      if (previous !== undefined) await removeQuietly(join(directory, previous.dataFile));
    });
  }

  /** The parts of an upload, by part number. */
  async parts(uploadId: string): Promise<PartRecord[]> {
    const directory = this.uploadDirectory(uploadId);
    const files = (await readdir(directory)).filter((file) => /^\d+\.json$/.test(file));
    const parts = await Promise.all(
      files.map((file) => readJson<PartRecord>(join(directory, file))),
    );
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  async remove(uploadId: string): Promise<void> {
    await removeQuietly(this.uploadDirectory(uploadId));
  }

  /** Runs `work` alone for this upload: parts, completion and abortion do not interleave. */
  run<T>(uploadId: string, work: () => Promise<T>): Promise<T> {
    return this.locks.run(uploadId, work);
  }

  private async find(uploadId: string): Promise<UploadRecord | undefined> {
    // The id names a directory: anything but 32 hex digits (`..`, `/`) names no upload.
    if (!uploadIdPattern.test(uploadId)) return undefined;
    try {
      return await readJson<UploadRecord>(join(this.uploadDirectory(uploadId), 'upload.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private uploadDirectory(uploadId: string): string {
    return join(this.directory, uploadId);
  }

  /** After a crash: an upload without its record goes, and so do bytes no part refers to. */
  private async clean(uploadId: string): Promise<void> {
    const directory = this.uploadDirectory(uploadId);
    if (!(await stat(directory)).isDirectory() || (await this.find(uploadId)) === undefined) {
      await removeQuietly(directory);
      return;
    }
    const referenced = new Set((await this.parts(uploadId)).map((part) => part.dataFile));
    for (const file of await readdir(directory)) {
      const isRecord = file === 'upload.json' || /^\d+\.json$/.test(file);
      if (!isRecord && !referenced.has(file)) await removeQuietly(join(directory, file));
    }
  }
}
