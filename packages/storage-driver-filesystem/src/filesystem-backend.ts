import { constants } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import {
  InvalidOffsetError,
  PathNotFoundError,
  isValidPathComponent,
  joinPath,
  settleAll,
  type FileInfo,
  type FileWriter,
  type StorageBackend,
} from '@lading/storage-driver';
import type { LimitFunction } from 'p-limit';
import { DirectorySyncs } from './directory-syncs.js';
import { errorCode, isMissing, type FileHandle, type FileSystem } from './file-system.js';
import { FileRangeReader } from './file-range-reader.js';
import { FilesystemWriter } from './filesystem-writer.js';
import { ListingCache } from './listing-cache.js';
import { LocalPaths, stagingPath, temporaryPath } from './local-paths.js';
import { ReadBudget } from './read-budget.js';

/**
 * Storage on a local directory tree, laid out exactly as the storage paths
 * say (so distribution reads what Lading writes, and the other way round).
 *
 * Crash safety: whole files are written under a temporary name, fsynced and
 * renamed into place, and the directory is fsynced; writers stage beside
 * their target and commit the same way. fsyncs that do not depend on each
 * other run side by side, but each step's are done before the next step
 * starts. Every file operation takes a slot of `limit`, bounding how many
 * run at once (distribution's `maxthreads`).
 */
export class FilesystemBackend implements StorageBackend {
  readonly name = 'filesystem';
  readonly #paths: LocalPaths;
  readonly #readBudget = new ReadBudget();
  readonly #listings: ListingCache;
  readonly #directories: DirectorySyncs;

  constructor(
    root: string,
    private readonly fs: FileSystem,
    private readonly limit: LimitFunction,
  ) {
    this.#paths = new LocalPaths(root);
    this.#listings = new ListingCache(fs, (operation) => this.io(operation));
    this.#directories = new DirectorySyncs(fs, (operation) => this.io(operation));
  }

  /** Runs one file operation within the concurrency bound. Never nest calls. */
  io<T>(operation: () => Promise<T>): Promise<T> {
    return this.limit(operation);
  }

  async getContent(path: string): Promise<Buffer> {
    try {
      return await this.io(() => this.fs.readFile(this.#paths.local(path)));
    } catch (error) {
      throw notFound(error, path, ['EISDIR']);
    }
  }

  async putContent(path: string, content: Uint8Array): Promise<void> {
    const target = this.#paths.local(path);
    // The new directories' fsyncs run while the file is written; both end before the rename.
    const { parentsDurable } = await this.createParent(target);
    const temporary = temporaryPath(target);
    try {
      await settleAll([parentsDurable, this.writeDurably(temporary, content)]);
      await this.renameDurably(temporary, target);
    } catch (error) {
      await this.removeFile(temporary);
      throw error;
    }
  }

  async reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    let handle: FileHandle;
    try {
      handle = await this.io(() => this.fs.open(this.#paths.local(path), 'r'));
    } catch (error) {
      throw notFound(error, path);
    }
    try {
      const info = await this.io(() => handle.stat());
      if (info.isDirectory()) throw new PathNotFoundError(path);
      if (offset > info.size) {
        throw new InvalidOffsetError(path, offset, `past the end (size ${String(info.size)})`);
      }
      const end = length === undefined ? info.size : Math.min(info.size, offset + length);
      if (end > offset) {
        const { chunkBytes, release } = this.#readBudget.take(end - offset);
        return new FileRangeReader(handle, offset, end, chunkBytes, release);
      }
      await handle.close();
      return Readable.from([], { objectMode: false });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async writer(path: string, append: boolean): Promise<FileWriter> {
    const target = this.#paths.local(path);
    const staging = stagingPath(target);
    if (!append) {
      await this.makeParent(target);
      const handle = await this.io(() => this.fs.open(staging, 'w'));
      return new FilesystemWriter(this, target, staging, handle, 0);
    }
    const handle =
      (await this.openStaging(staging)) ?? (await this.stageCommitted(path, target, staging));
    try {
      const { size } = await this.io(() => handle.stat());
      return new FilesystemWriter(this, target, staging, handle, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async stat(path: string): Promise<FileInfo> {
    try {
      const info = await this.io(() => this.fs.stat(this.#paths.local(path)));
      const isDir = info.isDirectory();
      return { path, size: isDir ? 0 : info.size, modTime: info.mtime, isDir };
    } catch (error) {
      throw notFound(error, path);
    }
  }

  async list(path: string): Promise<string[]> {
    try {
      // Sorted here, so the driver's sort of a reused listing finds it in order at once.
      const children = await this.#listings.readdir(this.#paths.local(path), (names) =>
        names
          .filter(isValidPathComponent)
          .map((name) => joinPath(path, name))
          .sort(),
      );
      return [...children];
    } catch (error) {
      if (path === '/' && isMissing(error)) return [];
      throw notFound(error, path);
    }
  }

  async move(source: string, destination: string): Promise<void> {
    const [from, to] = [this.#paths.local(source), this.#paths.local(destination)];
    try {
      // Checked first so that a missing source creates no destination directories.
      await this.io(() => this.fs.lstat(from));
    } catch (error) {
      throw notFound(error, source);
    }
    await this.makeParent(to);
    try {
      await this.io(() => this.fs.rename(from, to));
    } catch (error) {
      // ENOENT here means the source vanished meanwhile; ENOTDIR would be the destination's.
      throw errorCode(error) === 'ENOENT' ? new PathNotFoundError(source, { cause: error }) : error;
    }
    // Both directories changed; they are fsynced side by side.
    await this.#directories.syncAll([...new Set([dirname(to), dirname(from)])]);
  }

  async delete(path: string): Promise<void> {
    const target = this.#paths.local(path);
    await this.removeFile(stagingPath(target));
    try {
      await this.io(() => this.fs.lstat(target));
    } catch (error) {
      throw notFound(error, path);
    }
    await this.io(() => this.fs.rm(target, { recursive: true, force: true }));
  }

  /** Writes all of `chunk` at `position`, however many calls the kernel needs. */
  async writeAt(handle: FileHandle, chunk: Uint8Array, position: number): Promise<void> {
    for (let done = 0; done < chunk.byteLength;) {
      const { bytesWritten } = await this.io(() =>
        handle.write(chunk, done, chunk.byteLength - done, position + done),
      );
      done += bytesWritten;
    }
  }

  /** Renames `from` over `to` and makes the rename itself survive a crash. */
  async renameDurably(from: string, to: string): Promise<void> {
    await this.io(() => this.fs.rename(from, to));
    await this.#directories.sync(dirname(to));
  }

  /** Creates `path` (it must not exist) holding `content`, fsynced. */
  private async writeDurably(path: string, content: Uint8Array): Promise<void> {
    const handle = await this.io(() => this.fs.open(path, 'wx'));
    try {
      await this.writeAt(handle, content, 0);
      await this.io(() => handle.sync());
    } finally {
      await handle.close();
    }
  }

  /** Removes a file if it is there. */
  async removeFile(path: string): Promise<void> {
    try {
      await this.io(() => this.fs.rm(path, { force: true }));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /**
   * Creates the target's missing ancestors and starts the fsync of each
   * directory that gained one (side by side): the caller awaits
   * `parentsDurable` before it renames anything into them. The target's own
   * directory is fsynced after the rename, but a directory created for it is
   * durable only once its parent is fsynced too (POSIX): without that, power
   * loss could take a new tag or blob directory, and the committed file in
   * it, away. Nothing to do when the parent exists, as it mostly does; a new
   * blob or upload costs one more fsync, a new tag two. Directories above the
   * root are the operator's and are not touched. (Wrapped in an object, as
   * awaiting the call must not wait for the fsyncs.)
   */
  /** Creates the target's missing ancestors, durably: `createParent`, waiting for its fsyncs. */
  private async makeParent(target: string): Promise<void> {
    const { parentsDurable } = await this.createParent(target);
    await parentsDurable;
  }

  private async createParent(target: string): Promise<{ parentsDurable: Promise<void> }> {
    const parent = dirname(target);
    const created = await this.io(() => this.fs.mkdir(parent, { recursive: true }));
    if (created === undefined) return { parentsDurable: Promise.resolve() };
    const gained: string[] = [];
    for (let directory = parent; directory !== dirname(created);) {
      directory = dirname(directory);
      if (this.#paths.contains(directory)) gained.push(directory);
    }
    const parentsDurable = this.#directories.syncAll(gained);
    // Awaited by the caller; until then, a failure must not count as unhandled.
    parentsDurable.catch(() => undefined);
    return { parentsDurable };
  }

  private async openStaging(staging: string): Promise<FileHandle | undefined> {
    try {
      return await this.io(() => this.fs.open(staging, 'r+'));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Appending to committed content: stage a copy of it (a reflink where the filesystem can). */
  private async stageCommitted(path: string, target: string, staging: string): Promise<FileHandle> {
    try {
      await this.io(() => this.fs.copyFile(target, staging, constants.COPYFILE_FICLONE));
    } catch (error) {
      throw notFound(error, path, ['EISDIR']);
    }
    return this.io(() => this.fs.open(staging, 'r+'));
  }
}

/** A `PathNotFoundError` when `error` says nothing is at `path`, else `error` itself. */
function notFound(error: unknown, path: string, alsoCodes: readonly string[] = []): unknown {
  return isMissing(error, alsoCodes) ? new PathNotFoundError(path, { cause: error }) : error;
}
