import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileSystem } from '../src/index.js';

export function temporaryRoot(): Promise<string> {
  return fsPromises.mkdtemp(join(tmpdir(), 'lading-fs-test-'));
}

type Operation =
  | keyof FileSystem
  | 'handle.sync'
  | 'handle.datasync'
  | 'handle.write'
  | 'handle.stat'
  | 'directory.sync';

type FileHandle = fsPromises.FileHandle;

/**
 * The real file system, wrapped to count concurrent calls (each held for
 * `delayMs`) and to fail chosen calls the way a disk would.
 */
export class InstrumentedFileSystem implements FileSystem {
  /** Highest number of calls in flight at once. */
  peak = 0;
  /** The directories fsynced, in the order their fsyncs ended. */
  readonly directorySyncs: string[] = [];
  /**
   * `rename <to>` as each rename starts and `sync <directory>` as each
   * directory fsync ends, in order: what was durable before what.
   */
  readonly events: string[] = [];
  /** How many fdatasync calls were made (the writers' background flushes). */
  dataSyncs = 0;
  #inFlight = 0;
  readonly #failures = new Map<Operation, string>();

  constructor(private readonly delayMs = 0) {}

  /** Fails the next call of `operation` with an error of `code` (`EIO`, `ENOSPC`, …). */
  failNext(operation: Operation, code: string): void {
    this.#failures.set(operation, code);
  }

  copyFile: FileSystem['copyFile'] = (...args) =>
    this.observe('copyFile', () => fsPromises.copyFile(...args));
  lstat = ((...args: Parameters<typeof fsPromises.lstat>) =>
    this.observe('lstat', () => fsPromises.lstat(...args))) as FileSystem['lstat'];
  mkdir = ((...args: Parameters<typeof fsPromises.mkdir>) =>
    this.observe('mkdir', () => fsPromises.mkdir(...args))) as FileSystem['mkdir'];
  readFile = ((...args: Parameters<typeof fsPromises.readFile>) =>
    this.observe('readFile', () => fsPromises.readFile(...args))) as FileSystem['readFile'];
  readdir = ((...args: Parameters<typeof fsPromises.readdir>) =>
    this.observe('readdir', () => fsPromises.readdir(...args))) as FileSystem['readdir'];
  rename: FileSystem['rename'] = (from, to) => {
    this.events.push(`rename ${String(to)}`);
    return this.observe('rename', () => fsPromises.rename(from, to));
  };
  rm: FileSystem['rm'] = (...args) => this.observe('rm', () => fsPromises.rm(...args));
  stat = ((...args: Parameters<typeof fsPromises.stat>) =>
    this.observe('stat', () => fsPromises.stat(...args))) as FileSystem['stat'];
  open: FileSystem['open'] = async (path, flags, mode) => {
    const handle = await this.observe('open', () => fsPromises.open(path, flags, mode));
    return this.wrapHandle(handle, (await handle.stat()).isDirectory(), String(path));
  };

  private async observe<T>(operation: Operation, call: () => Promise<T>): Promise<T> {
    this.#inFlight += 1;
    this.peak = Math.max(this.peak, this.#inFlight);
    try {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const code = this.#failures.get(operation);
      if (code !== undefined) {
        this.#failures.delete(operation);
        throw Object.assign(new Error(`${code}: injected failure of ${operation}`), { code });
      }
      return await call();
    } finally {
      this.#inFlight -= 1;
    }
  }

  private wrapHandle(handle: FileHandle, isDirectory: boolean, path: string): FileHandle {
    const observe = this.observe.bind(this);
    const { directorySyncs, events } = this;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the proxy's traps count on it
    const fileSystem = this;
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'sync' && isDirectory) {
          return () =>
            observe('directory.sync', async () => {
              await target.sync();
              directorySyncs.push(path);
              events.push(`sync ${path}`);
            });
        }
        if (property === 'sync') {
          return () => observe('handle.sync', () => target.sync());
        }
        if (property === 'datasync') {
          return () => {
            fileSystem.dataSyncs += 1;
            return observe('handle.datasync', () => target.datasync());
          };
        }
        if (property === 'stat') {
          return () => observe('handle.stat', () => target.stat());
        }
        if (property === 'write') {
          return (...args: Parameters<FileHandle['write']>) =>
            observe('handle.write', () => target.write(...args));
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  }
}
