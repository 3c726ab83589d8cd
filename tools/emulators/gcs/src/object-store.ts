import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rm, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { GcsError, noSuchBucket, noSuchObject } from './errors.js';
import { KeyedLock, readJson, removeQuietly, writeJsonAtomically } from '@lading/emulator-kit';
import type { Checksums } from './checksums.js';
import type { ObjectRecord, WritableMetadata } from './object-record.js';
import { checkPreconditions, type Preconditions } from './preconditions.js';

/**
 * Buckets and objects on disk, with an index of the metadata in memory (never the bytes):
 *
 * ```
 * DIRECTORY/
 *   buckets/<bucket>.json            the bucket resource
 *   objects/<bucket>/<sha256>.json   an object's record; sha256 of its name, which may hold
 *                                    any character, `/` and `..` included
 *   data/<uuid>                      an object's bytes, one file per generation, never rewritten
 *   uploads/<upload id>.json|.data   resumable upload sessions (resumable-upload.ts)
 *   rewrites/<job>.data              rewrites in progress (rewrite.ts), cleared on open
 * ```
 *
 * A new generation's bytes go to a new data file, its record replaces the old one by rename,
 * and only then is the old data file unlinked: a reader that opened it keeps reading it.
 */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, Map<string, ObjectRecord>>();
  private readonly locks = new KeyedLock();
  private lastGeneration = 0n;

  private constructor(readonly directory: string) {}

  /** Opens (or creates) the store in `directory`, dropping data no record refers to. */
  static async open(directory: string): Promise<ObjectStore> {
    const store = new ObjectStore(directory);
    for (const sub of ['buckets', 'objects', 'data', 'uploads', 'rewrites']) {
      await mkdir(join(directory, sub), { recursive: true });
    }
    // A rewrite token names a file here; tokens are not meant to outlive the process.
    await rm(join(directory, 'rewrites'), { recursive: true, force: true });
    await mkdir(join(directory, 'rewrites'));
    await store.load();
    return store;
  }

  get dataDirectory(): string {
    return join(this.directory, 'data');
  }

  bucket(name: string): BucketRecord | undefined {
    return this.buckets.get(name);
  }

  requireBucket(name: string): BucketRecord {
    const bucket = this.buckets.get(name);
    if (bucket === undefined) throw noSuchBucket();
    return bucket;
  }

  async createBucket(name: string): Promise<BucketRecord> {
    return this.locks.run(`bucket:${name}`, async () => {
      if (this.buckets.has(name)) {
        throw new GcsError(
          409,
          'conflict',
          'Your previous request to create the named bucket succeeded and you already own it.',
        );
      }
      const now = new Date().toISOString();
      const bucket: BucketRecord = { name, timeCreated: now, updated: now };
      await mkdir(join(this.directory, 'objects', name), { recursive: true });
      await writeJsonAtomically(join(this.directory, 'buckets', `${name}.json`), bucket);
      this.buckets.set(name, bucket);
      this.objects.set(name, new Map());
      return bucket;
    });
  }

  /** The live object, or undefined. A bucket that does not exist is a 404. */
  get(bucket: string, name: string): ObjectRecord | undefined {
    this.requireBucket(bucket);
    return this.objects.get(bucket)?.get(name);
  }

  /**
   * The live object; 404 if there is none, or if `generation` is given and is not the live
   * one (there is no versioning here, so older generations do not exist).
   */
  require(bucket: string, name: string, generation?: string | null): ObjectRecord {
    const record = this.get(bucket, name);
    if (record === undefined) throw noSuchObject(bucket, name);
    if (generation !== undefined && generation !== null && generation !== record.generation) {
      throw noSuchObject(bucket, name);
    }
    return record;
  }

  /** Every live object of `bucket`, in no particular order. */
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
   * Opens the data file of the object `lookup` finds. A writer may replace the object (and
   * unlink the old file) between the lookup and the open; then the lookup is done again. An
   * open file keeps its bytes whatever happens to the object afterwards.
   */
  async openLive(lookup: () => ObjectRecord): Promise<{ record: ObjectRecord; file: FileHandle }> {
    for (let attempt = 1; ; attempt += 1) {
      const record = lookup();
      try {
        return { record, file: await open(this.dataPath(record), 'r') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
      }
    }
  }

  /**
   * Makes `write` the live object under a new generation if `preconditions` hold against the
   * current one. The data file belongs to the store from here on: on failure it is removed.
   */
  async commit(write: ObjectWrite, preconditions: Preconditions = {}): Promise<ObjectRecord> {
    const { bucket, name } = write;
    try {
      return await this.locks.run(objectKey(bucket, name), async () => {
        const previous = this.get(bucket, name);
        checkPreconditions(preconditions, previous);
        const now = new Date().toISOString();
        const record: ObjectRecord = {
          ...write.metadata,
          bucket,
          name,
          generation: this.nextGeneration(),
          metageneration: '1',
          size: write.size,
          ...write.checksums,
          componentCount: write.componentCount,
          timeCreated: now,
          updated: now,
          dataFile: write.dataFile,
        };
        await writeJsonAtomically(this.recordPath(bucket, name), record);
        this.objects.get(bucket)?.set(name, record);
        if (previous !== undefined) await removeQuietly(this.dataPath(previous));
        return record;
      });
    } catch (error) {
      await removeQuietly(join(this.dataDirectory, write.dataFile));
      throw error;
    }
  }

  /** Deletes the live object if `preconditions` hold; 404 if there is none. */
  async delete(bucket: string, name: string, preconditions: Preconditions = {}): Promise<void> {
    await this.locks.run(objectKey(bucket, name), async () => {
      const record = this.require(bucket, name);
      checkPreconditions(preconditions, record);
      await unlink(this.recordPath(bucket, name));
      this.objects.get(bucket)?.delete(name);
      await removeQuietly(this.dataPath(record));
    });
  }

  // Microseconds since the epoch, like GCS's, and strictly increasing even within one
  // microsecond, so "newer write, larger generation" always holds.
  private nextGeneration(): string {
    const now = BigInt(Date.now()) * 1000n;
    this.lastGeneration = now > this.lastGeneration ? now : this.lastGeneration + 1n;
    return String(this.lastGeneration);
  }

  private recordPath(bucket: string, name: string): string {
    const digest = createHash('sha256').update(name).digest('hex');
    return join(this.directory, 'objects', bucket, `${digest}.json`);
  }

  private async load(): Promise<void> {
    const referenced = new Set<string>();
    for (const file of await readdir(join(this.directory, 'buckets'))) {
      if (!file.endsWith('.json')) continue;
      const bucket = await readJson<BucketRecord>(join(this.directory, 'buckets', file));
      this.buckets.set(bucket.name, bucket);
      const objects = new Map<string, ObjectRecord>();
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
        objects.set(record.name, record);
        referenced.add(record.dataFile);
        if (BigInt(record.generation) > this.lastGeneration) {
          this.lastGeneration = BigInt(record.generation);
        }
      }
    }
    // Bytes of uploads that never committed, or of generations replaced just before a crash.
    for (const file of await readdir(this.dataDirectory)) {
      if (!referenced.has(file)) await removeQuietly(join(this.dataDirectory, file));
    }
  }
}

/** What commit() makes live: bytes already on disk plus their metadata. */
export interface ObjectWrite {
  bucket: string;
  name: string;
  /** A name from newDataFile(), the bytes complete. */
  dataFile: string;
  size: number;
  checksums: Checksums;
  componentCount?: number;
  metadata: WritableMetadata;
}

export interface BucketRecord {
  name: string;
  timeCreated: string;
  updated: string;
}

function objectKey(bucket: string, name: string): string {
  return `object:${bucket}/${name}`;
}
