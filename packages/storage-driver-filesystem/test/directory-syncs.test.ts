import type { PathLike } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { expect } from 'chai';
import { DirectorySyncs } from '../src/directory-syncs.js';

/** A directory fsync the test ends by hand, with the error it should end with. */
interface PendingSync {
  directory: string;
  end(code?: string): void;
}

/** Opens "directories" whose fsyncs wait until the test ends them, in the order they began. */
class HeldSyncs {
  readonly begun: PendingSync[] = [];
  readonly closed: string[] = [];

  open = (path: PathLike): Promise<FileHandle> => {
    const directory = String(path);
    const handle = {
      sync: () =>
        new Promise<void>((resolve, reject) => {
          this.begun.push({
            directory,
            end: (code) => {
              if (code === undefined) resolve();
              else reject(Object.assign(new Error(`${code}: fsync ${directory}`), { code }));
            },
          });
        }),
      close: () => {
        this.closed.push(directory);
        return Promise.resolve();
      },
    };
    return Promise.resolve(handle as unknown as FileHandle);
  };

  /** Ends the `index`th fsync begun, once it has begun. */
  async end(index: number, code?: string): Promise<void> {
    while (this.begun.length <= index) await new Promise((resolve) => setImmediate(resolve));
    this.begun[index]?.end(code);
  }
}

/** Whether `promise` has settled, after letting pending callbacks run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('DirectorySyncs', () => {
  let held: HeldSyncs;
  let syncs: DirectorySyncs;
  beforeEach(() => {
    held = new HeldSyncs();
    syncs = new DirectorySyncs(held, (operation) => operation());
  });

  const directories = () => held.begun.map((sync) => sync.directory);

  it('answers everyone who asks during an fsync with one more, shared by all of them', async () => {
    const first = syncs.sync('/d');
    const second = syncs.sync('/d');
    const third = syncs.sync('/d');
    await held.end(0);
    await first;
    // The first fsync began before they asked, so it may have missed their entries.
    expect(await isSettled(second)).to.equal(false);
    expect(await isSettled(third)).to.equal(false);
    await held.end(1);
    await Promise.all([second, third]);
    expect(directories()).to.deep.equal(['/d', '/d']);
    expect(held.closed).to.deep.equal(['/d', '/d']);
  });

  it('makes whoever asks once the shared fsync has begun wait for a later one', async () => {
    const first = syncs.sync('/d');
    const second = syncs.sync('/d');
    await held.end(0);
    await first;
    const third = syncs.sync('/d');
    await held.end(1);
    await second;
    expect(await isSettled(third)).to.equal(false);
    await held.end(2);
    await third;
    expect(directories()).to.deep.equal(['/d', '/d', '/d']);
  });

  it('fsyncs different directories side by side, and all of a list at once', async () => {
    const both = syncs.syncAll(['/a', '/b']);
    const other = syncs.sync('/c');
    await held.end(2);
    expect(directories()).to.deep.equal(['/a', '/b', '/c']);
    await other;
    expect(await isSettled(both)).to.equal(false);
    await held.end(0);
    await held.end(1);
    await both;
  });

  it('fails the callers of a failed fsync, and starts afresh for those who wait', async () => {
    const first = syncs.sync('/d');
    const second = syncs.sync('/d');
    await held.end(0, 'EIO');
    let failure: unknown;
    await first.catch((error: unknown) => (failure = error));
    expect(failure).to.have.property('code', 'EIO');
    await held.end(1);
    await second;
    expect(held.closed).to.deep.equal(['/d', '/d']);
    // Nothing of the failure stays behind.
    const third = syncs.sync('/d');
    await held.end(2);
    await third;
  });

  it('reports a failure that carries no error code', async () => {
    const broken = new DirectorySyncs(
      { open: () => Promise.reject(new Error('no code at all')) },
      (operation) => operation(),
    );
    let failure: unknown;
    await broken.sync('/d').catch((error: unknown) => (failure = error));
    expect(String(failure)).to.contain('no code at all');
  });

  it('takes a filesystem that cannot fsync a directory as done', async () => {
    const refused = syncs.sync('/d');
    await held.end(0, 'EINVAL');
    await refused;
    expect(held.closed).to.deep.equal(['/d']);
  });
});
