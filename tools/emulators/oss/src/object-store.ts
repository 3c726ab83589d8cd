import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { OssError, noSuchBucket, noSuchKey } from './errors.js';
import { KeyedLock, readJson, removeQuietly, writeJsonAtomically } from '@lading/emulator-kit';
import type { ObjectRecord } from './object-record.js';

/**
 * Buckets and objects on disk, with an index of the records in memory (never the bytes):
 *
 * ```
 * DIRECTORY/
 *   buckets/<bucket>.json            the bucket
 *   objects/<bucket>/<sha256>.json   an object's record, by the SHA-256 of its key (a key may
 *                                    hold any character, `/` and `..` included)
 *   data/<uuid>                      an object's bytes, one file per write, never rewritten
 *   uploads/<upload id>/             multipart uploads (upload-store.ts)
 * ```
 *
 * A new write's bytes go to a new data file, its record replaces the old one by rename, and only
 * then is the old data file unlinked: a reader that opened it keeps reading it, and a reader
 * that comes later sees the new object whole, never a mix.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, Map<string, ObjectRecord>>();
  private readonly locks = new KeyedLock();

  private constructor(readonly directory: string) {}

  /** Opens (or creates) the store in `directory`, dropping bytes no record refers to. */
  static async open(directory: string): Promise<ObjectStore> {
    const store = new ObjectStore(directory);
    for (const sub of ['buckets', 'objects', 'data', 'uploads']) {
      await mkdir(join(directory, sub), { recursive: true });
    }
    await store.load();
    return store;
  }

  get dataDirectory(): string {
    return join(this.directory, 'data');
  }

  requireBucket(name: string): BucketRecord {
    const bucket = this.buckets.get(name);
    if (bucket === undefined) throw noSuchBucket(name);
    return bucket;
  }

  async createBucket(name: string): Promise<BucketRecord> {
    return this.locks.run(`bucket:${name}`, async () => {
      if (this.buckets.has(name)) {
        throw new OssError(
          409,
          'BucketAlreadyExists',
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          { BucketName: name },
        );
      }
      const bucket: BucketRecord = { name, created: Date.now() };
      await mkdir(join(this.directory, 'objects', name), { recursive: true });
      await writeJsonAtomically(join(this.directory, 'buckets', `${name}.json`), bucket);
      this.buckets.set(name, bucket);
      this.objects.set(name, new Map());
      return bucket;
    });
  }

  /** The object, or undefined. A bucket that does not exist is a 404. */
  get(bucket: string, key: string): ObjectRecord | undefined {
    this.requireBucket(bucket);
    return this.objects.get(bucket)?.get(key);
  }

  /** The object; 404 NoSuchKey if there is none. */
  require(bucket: string, key: string): ObjectRecord {
    const record = this.get(bucket, key);
    if (record === undefined) throw noSuchKey(key);
    return record;
  }

  /** Every object of `bucket`, in no particular order. */
  objectsOf(bucket: string): Iterable<ObjectRecord> {
    this.requireBucket(bucket);
    return this.objects.get(bucket)?.values() ?? [];
  }

  /** A fresh path in the data directory for new bytes; pass its name to commit(). */
  newDataFile(): { name: string; path: string } {
    const name = randomUUID();
    return { name, path: join(this.dataDirectory, name) };
  }

  dataPath(record: ObjectRecord): string {
    return join(this.dataDirectory, record.dataFile);
  }

  /**
   * Opens the data file of an object. A writer may replace the object (and unlink the old file)
   * between the lookup and the open; then the lookup is done again. An open file keeps its bytes
   * whatever happens to the object afterwards.
   */
  async openLive(bucket: string, key: string): Promise<{ record: ObjectRecord; file: FileHandle }> {
    for (let attempt = 1; ; attempt += 1) {
      const record = this.require(bucket, key);
      try {
        return { record, file: await open(this.dataPath(record), 'r') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
      }
    }
  }

  /**
   * Makes `write` the object at its key. The data file belongs to the store from here on: if the
   * commit fails it is removed, unless it is the current object's own (a copy onto itself).
   * With `forbidOverwrite` an existing object is 409 FileAlreadyExists, as
   * `x-oss-forbid-overwrite: true` asks.
   */
  async commit(
    write: ObjectWrite,
    options: { forbidOverwrite?: boolean } = {},
  ): Promise<ObjectRecord> {
    const { bucket, key } = write;
    let previous: ObjectRecord | undefined;
    try {
      return await this.locks.run(`object:${bucket}/${key}`, async () => {
        previous = this.get(bucket, key);
        if (previous !== undefined && options.forbidOverwrite === true) {
          throw new OssError(
            409,
            'FileAlreadyExists',
            'The object you specified already exists and can not be overwritten.',
          );
        }
        // Second precision, as HTTP dates carry it, so Last-Modified and conditions agree.
        const record: ObjectRecord = {
          ...write,
          lastModified: Math.floor(Date.now() / 1000) * 1000,
        };
        await writeJsonAtomically(this.recordPath(bucket, key), record);
        this.objects.get(bucket)?.set(key, record);
        if (previous !== undefined && previous.dataFile !== record.dataFile) {
          await removeQuietly(this.dataPath(previous));
        }
        return record;
      });
    } catch (error) {
      if (previous?.dataFile !== write.dataFile)
        await removeQuietly(join(this.dataDirectory, write.dataFile));
      throw error;
    }
  }

  /** Deletes the object if there is one: deleting a missing key succeeds, as on OSS. */
  async delete(bucket: string, key: string): Promise<void> {
    await this.locks.run(`object:${bucket}/${key}`, async () => {
      const record = this.get(bucket, key);
      if (record === undefined) return;
      await unlink(this.recordPath(bucket, key));
      this.objects.get(bucket)?.delete(key);
      await removeQuietly(this.dataPath(record));
    });
  }

  private recordPath(bucket: string, key: string): string {
    const digest = createHash('sha256').update(key).digest('hex');
    return join(this.directory, 'objects', bucket, `${digest}.json`);
  }

  private async load(): Promise<void> {
    const referenced = new Set<string>();
    for (const file of await readdir(join(this.directory, 'buckets'))) {
      if (!file.endsWith('.json')) continue;
      const bucket = await readJson<BucketRecord>(join(this.directory, 'buckets', file));
      const objects = new Map<string, ObjectRecord>();
      this.buckets.set(bucket.name, bucket);
      this.objects.set(bucket.name, objects);
      const objectDirectory = join(this.directory, 'objects', bucket.name);
      await mkdir(objectDirectory, { recursive: true });
      for (const recordFile of await readdir(objectDirectory)) {
        const path = join(objectDirectory, recordFile);
        // A temp file of a write that never finished.
        if (!recordFile.endsWith('.json')) {
          await removeQuietly(path);
          continue;
        }
        const record = await readJson<ObjectRecord>(path);
        objects.set(record.key, record);
        referenced.add(record.dataFile);
      }
    }
    // Bytes of writes that never committed, or of objects replaced just before a crash.
    for (const file of await readdir(this.dataDirectory)) {
      if (!referenced.has(file)) await removeQuietly(join(this.dataDirectory, file));
    }
  }
}

/** What commit() makes live: bytes already on disk and what describes them. */
export type ObjectWrite = Omit<ObjectRecord, 'lastModified'>;

export interface BucketRecord {
  name: string;
  /** Epoch milliseconds. */
  created: number;
}
