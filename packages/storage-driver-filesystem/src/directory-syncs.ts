import { errorCode, type FileSystem } from './file-system.js';

/** fsync on a directory is refused by some filesystems; durability there is best effort. */
const unsyncableDirectoryCodes = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM']);

interface DirectorySync {
  readonly running: Promise<void>;
  /** The fsync that starts when `running` ends, shared by everyone who asked meanwhile. */
  next?: Promise<void>;
}

/**
 * fsyncs of directories, with group commit: whoever asks while an fsync of
 * the same directory runs waits for the next one, which starts when it ends
 * and serves every caller that arrived meanwhile. An fsync that was already
 * running may have missed a caller's entry, so nobody is answered by one
 * that started before they asked. Under parallel pushes, the directories all
 * of them touch (`_uploads`, a repository's `_layers/sha256`) are fsynced
 * once per round instead of once per caller.
 */
export class DirectorySyncs {
  readonly #syncs = new Map<string, DirectorySync>();

  constructor(
    private readonly fs: Pick<FileSystem, 'open'>,
    private readonly io: <T>(operation: () => Promise<T>) => Promise<T>,
  ) {}

  /** Resolves once an fsync of `directory` that started after this call has ended. */
  sync(directory: string): Promise<void> {
    const current = this.#syncs.get(directory);
    if (current === undefined) return this.begin(directory);
    current.next ??= current.running.then(
      () => this.begin(directory),
      () => this.begin(directory),
    );
    return current.next;
  }

  /** fsyncs all of `directories` at once (none depends on another). */
  async syncAll(directories: readonly string[]): Promise<void> {
    await Promise.all(directories.map((directory) => this.sync(directory)));
  }

  private begin(directory: string): Promise<void> {
    const sync: DirectorySync = { running: this.fsync(directory) };
    this.#syncs.set(directory, sync);
    const forget = () => {
      if (this.#syncs.get(directory) === sync) this.#syncs.delete(directory);
    };
    sync.running.then(forget, forget);
    return sync.running;
  }

  private async fsync(directory: string): Promise<void> {
    try {
      const handle = await this.io(() => this.fs.open(directory, 'r'));
      try {
        await this.io(() => handle.sync());
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (!unsyncableDirectoryCodes.has(errorCode(error) ?? '')) throw error;
    }
  }
}
