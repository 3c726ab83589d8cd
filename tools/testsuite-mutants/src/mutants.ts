import { posix } from 'node:path';
import { Readable } from 'node:stream';
import {
  PathNotFoundError,
  isStorageError,
  type FileInfo,
  type FileWriter,
  type StorageDriver,
  type WalkVisitor,
} from '@lading/storage-driver';
import { DelegatingDriver, DelegatingWriter } from './delegating-driver.js';

/** A driver with one realistic defect, and the suite tests that must catch it. */
export interface Mutant {
  readonly name: string;
  readonly defect: string;
  /** Titles (or parts of titles) of tests that must fail for this mutant. */
  readonly caughtBy: readonly string[];
  build(inner: StorageDriver): StorageDriver;
}

async function exists(driver: StorageDriver, path: string): Promise<boolean> {
  return driver.stat(path).then(
    () => true,
    () => false,
  );
}

export const mutants: readonly Mutant[] = [
  {
    name: 'put-no-truncate',
    defect: 'putContent over a longer file keeps its old tail',
    caughtBy: ['truncates on rewrite'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async putContent(path: string, content: Uint8Array): Promise<void> {
          const old = await this.inner.getContent(path).catch(() => Buffer.alloc(0));
          const tail = old.subarray(content.byteLength);
          await this.inner.putContent(path, Buffer.concat([content, tail]));
        }
      })(inner),
  },
  {
    name: 'list-recursive',
    defect: 'list returns every descendant, not the direct children',
    caughtBy: ['lists direct children only'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async list(path: string): Promise<string[]> {
          const all: string[] = [];
          await this.inner.walk(path, (info) => {
            all.push(info.path);
          });
          return all;
        }
      })(inner),
  },
  {
    name: 'list-unsorted',
    defect: 'list returns children in reverse order',
    caughtBy: ['lists direct children only, files and directories, sorted'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async list(path: string): Promise<string[]> {
          return (await this.inner.list(path)).reverse();
        }
      })(inner),
  },
  {
    name: 'list-missing-empty',
    defect: 'list of a missing directory returns [] (an object store without a check)',
    caughtBy: ['rejects a missing directory with PathNotFoundError'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async list(path: string): Promise<string[]> {
          return this.inner.list(path).catch(() => []);
        }
      })(inner),
  },
  {
    name: 'delete-by-prefix',
    defect: 'delete removes every sibling whose name starts with the same string',
    caughtBy: ['does not touch paths that share a prefix'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async delete(path: string): Promise<void> {
          const parent = posix.dirname(path);
          const siblings = await this.inner.list(parent).catch(() => []);
          await this.inner.delete(path);
          for (const sibling of siblings) {
            if (sibling !== path && sibling.startsWith(path)) await this.inner.delete(sibling);
          }
        }
      })(inner),
  },
  {
    name: 'delete-not-recursive',
    defect: 'delete of a directory removes its files but not its subdirectories',
    // The check after each test finds the leftovers first, which ends that block of tests.
    caughtBy: ['"after each" hook', 'the root after the test'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async delete(path: string): Promise<void> {
          const info = await this.inner.stat(path);
          if (!info.isDir) {
            await this.inner.delete(path);
            return;
          }
          for (const child of await this.inner.list(path)) {
            if (!(await this.inner.stat(child)).isDir) await this.inner.delete(child);
          }
        }
      })(inner),
  },
  {
    name: 'reader-ignores-offset',
    defect: 'reader always starts at byte 0',
    caughtBy: ['reads from the start, the middle and the last byte'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override reader(path: string, _offset?: number, length?: number): Promise<Readable> {
          return this.inner.reader(path, 0, length);
        }
      })(inner),
  },
  {
    name: 'reader-past-end-empty',
    defect: 'an offset past the end gives an empty stream instead of InvalidOffsetError',
    caughtBy: ['rejects an offset past the end with InvalidOffsetError'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async reader(path: string, offset?: number, length?: number): Promise<Readable> {
          const { size } = await this.inner.stat(path);
          if ((offset ?? 0) > size) return Readable.from([], { objectMode: false });
          return this.inner.reader(path, offset, length);
        }
      })(inner),
  },
  {
    name: 'reader-drops-last-byte',
    defect: 'reads of files over 5 MiB lose their last byte (an off-by-one in a range)',
    caughtBy: ['round-trips 5 MiB + 1 B through a writer and a reader'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async reader(path: string, offset = 0, length?: number): Promise<Readable> {
          const { size } = await this.inner.stat(path);
          if (size <= 5 * 1024 * 1024) return this.inner.reader(path, offset, length);
          const end = Math.min(size - 1, length === undefined ? size : offset + length);
          return this.inner.reader(path, offset, Math.max(0, end - offset));
        }
      })(inner),
  },
  {
    name: 'append-starts-fresh',
    defect: 'writer(path, true) discards what earlier writers wrote',
    caughtBy: ['resumes across several writers and closes, keeping every byte'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override writer(path: string): Promise<FileWriter> {
          return this.inner.writer(path, false);
        }
      })(inner),
  },
  {
    name: 'append-to-committed-fails',
    defect: 'writer(path, true) finds only uncommitted data, not committed content',
    caughtBy: ['appends to committed content', 'appends to zero-length putContent'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        readonly #open = new Set<string>();
        override async writer(path: string, append?: boolean): Promise<FileWriter> {
          if (append === true && !this.#open.has(path))
            throw new PathNotFoundError(path, { driverName: this.name });
          this.#open.add(path);
          return this.inner.writer(path, append);
        }
      })(inner),
  },
  {
    name: 'size-forgets-sessions',
    defect: 'a resumed writer reports only the bytes of its own session',
    caughtBy: ['resumes across several writers and closes, keeping every byte'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async writer(path: string, append?: boolean): Promise<FileWriter> {
          const writer = await this.inner.writer(path, append);
          const start = writer.size;
          return new (class extends DelegatingWriter {
            override get size(): number {
              return this.inner.size - start;
            }
          })(writer);
        }
      })(inner),
  },
  {
    name: 'visible-before-commit',
    defect: 'a writer publishes each write at once instead of on commit',
    caughtBy: ['keeps content invisible until commit'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async writer(path: string, append?: boolean): Promise<FileWriter> {
          const writer = await this.inner.writer(path, append);
          const driver = this.inner;
          const written: Buffer[] = [];
          return new (class extends DelegatingWriter {
            override async write(chunk: Uint8Array): Promise<void> {
              await this.inner.write(chunk);
              written.push(Buffer.from(chunk));
              await driver.putContent(path, Buffer.concat(written));
            }
          })(writer);
        }
      })(inner),
  },
  {
    name: 'cancel-keeps-data',
    defect: 'cancel only closes the writer, leaving its data resumable',
    caughtBy: ['cancel discards everything written, also by earlier writers'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async writer(path: string, append?: boolean): Promise<FileWriter> {
          return new (class extends DelegatingWriter {
            override cancel(): Promise<void> {
              return this.inner.close();
            }
          })(await this.inner.writer(path, append));
        }
      })(inner),
  },
  {
    name: 'writer-ignores-state',
    defect: 'a writer silently accepts writes after commit',
    caughtBy: ['refuses use after commit, cancel and close'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async writer(path: string, append?: boolean): Promise<FileWriter> {
          return new (class extends DelegatingWriter {
            override async write(chunk: Uint8Array): Promise<void> {
              await this.inner.write(chunk).catch((error: unknown) => {
                if (!isStorageError(error, 'FILE_WRITER_STATE')) throw error;
              });
            }
          })(await this.inner.writer(path, append));
        }
      })(inner),
  },
  {
    name: 'move-keeps-source',
    defect: 'move copies and forgets to delete the source',
    caughtBy: ['moves a file to a new path, creating parents'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async move(source: string, destination: string): Promise<void> {
          await this.inner.putContent(destination, await this.inner.getContent(source));
        }
      })(inner),
  },
  {
    name: 'move-missing-clobbers',
    defect: 'move from a missing source deletes the destination first',
    caughtBy: [
      'rejects a missing source with PathNotFoundError, leaving the destination untouched',
    ],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async move(source: string, destination: string): Promise<void> {
          await this.inner.delete(destination).catch(() => undefined);
          await this.inner.move(source, destination);
        }
      })(inner),
  },
  {
    name: 'stat-dir-as-file',
    defect: 'stat reports directories as files',
    caughtBy: ['reports directories with size 0'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async stat(path: string): Promise<FileInfo> {
          return { ...(await this.inner.stat(path)), isDir: false };
        }
      })(inner),
  },
  {
    name: 'stat-fixed-modtime',
    defect: 'stat reports the same modification time for every version of a file',
    caughtBy: ['reports a later modification time after a rewrite'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async stat(path: string): Promise<FileInfo> {
          return { ...(await this.inner.stat(path)), modTime: new Date('2026-01-01T00:00:00Z') };
        }
      })(inner),
  },
  {
    name: 'torn-put',
    defect: 'putContent deletes the old file, then writes the new one',
    caughtBy: ['never shows a concurrent reader partial putContent'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async putContent(path: string, content: Uint8Array): Promise<void> {
          if (await exists(this.inner, path)) await this.inner.delete(path);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await this.inner.putContent(path, content);
        }
      })(inner),
  },
  {
    name: 'missing-as-empty',
    defect: 'getContent of a missing file returns empty content',
    caughtBy: ['rejects getContent of a missing path with PathNotFoundError'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async getContent(path: string): Promise<Buffer> {
          return this.inner.getContent(path).catch(() => Buffer.alloc(0));
        }
      })(inner),
  },
  {
    name: 'anonymous-errors',
    defect: 'errors do not say which driver failed',
    caughtBy: ['rejects getContent of a missing path with PathNotFoundError'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async getContent(path: string): Promise<Buffer> {
          return this.inner.getContent(path).catch(() => {
            throw new PathNotFoundError(path);
          });
        }
      })(inner),
  },
  {
    name: 'lenient-paths',
    defect: 'paths are normalized (path.posix.normalize) instead of rejected',
    caughtBy: ['rejects invalid paths in every method before touching storage'],
    build: (inner) => {
      const lenient = (path: string): string =>
        (posix.normalize(`/${path}`).replace(/\/+$/, '') || '/').replace(/[^A-Za-z0-9._/-]/g, '_');
      return new (class extends DelegatingDriver {
        override getContent(path: string): Promise<Buffer> {
          return this.inner.getContent(lenient(path));
        }
        override putContent(path: string, content: Uint8Array): Promise<void> {
          return this.inner.putContent(lenient(path), content);
        }
        override stat(path: string): Promise<FileInfo> {
          return this.inner.stat(lenient(path));
        }
      })(inner);
    },
  },
  {
    name: 'walk-ignores-skip',
    defect: "walk descends into directories the visitor said to 'skip'",
    caughtBy: ['skips a directory when the visitor says skip'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override walk(path: string, visitor: WalkVisitor): Promise<void> {
          return this.inner.walk(path, async (info) => {
            const decision = await visitor(info);
            return decision === 'skip' ? undefined : decision;
          });
        }
      })(inner),
  },
  {
    name: 'walk-ignores-stop',
    defect: "walk goes on after the visitor said 'stop'",
    caughtBy: ['stops when the visitor says stop'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override walk(path: string, visitor: WalkVisitor): Promise<void> {
          return this.inner.walk(path, async (info) => {
            const decision = await visitor(info);
            return decision === 'stop' ? undefined : decision;
          });
        }
      })(inner),
  },
  {
    name: 'walk-unsorted',
    defect: 'walk visits files before the directories beside them',
    caughtBy: ['visits depth-first, directories before contents, siblings sorted'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override async walk(path: string, visitor: WalkVisitor): Promise<void> {
          const entries: FileInfo[] = [];
          await this.inner.walk(path, (info) => {
            entries.push(info);
          });
          entries.sort((a, b) => Number(a.isDir) - Number(b.isDir));
          for (const info of entries) if ((await visitor(info)) === 'stop') return;
        }
      })(inner),
  },
  {
    name: 'dead-redirect',
    defect: 'redirectURL hands out a URL that serves nothing',
    caughtBy: ['returns no URL, or one that serves the content to GET and HEAD'],
    build: (inner) =>
      new (class extends DelegatingDriver {
        override redirectURL(): Promise<string> {
          return Promise.resolve('http://127.0.0.1:9/nowhere');
        }
      })(inner),
  },
];
