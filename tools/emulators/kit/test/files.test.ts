import { expect } from 'chai';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { readJson, removeQuietly, removeWhenClosed, writeJsonAtomically } from '../src/index.js';

describe('emulator files', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-emulator-kit-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('replaces JSON atomically, leaving no temporary file, and reads it back', async () => {
    const path = join(directory, 'record.json');
    await writeJsonAtomically(path, { a: 1 });
    await writeJsonAtomically(path, { a: 2, b: ['x'] });
    expect(await readJson(path)).to.deep.equal({ a: 2, b: ['x'] });
    expect(await readdir(directory)).to.deep.equal(['record.json']);
  });

  it('removes a file or a directory tree, and nothing at all without complaint', async () => {
    await writeFile(join(directory, 'file'), 'x');
    await mkdir(join(directory, 'tree', 'deeper'), { recursive: true });
    await writeFile(join(directory, 'tree', 'deeper', 'leaf'), 'y');
    await removeQuietly(join(directory, 'file'));
    await removeQuietly(join(directory, 'tree'));
    await removeQuietly(join(directory, 'never-was'));
    expect(await readdir(directory)).to.deep.equal([]);
  });

  it('removes the file of a failed pipeline even when its stream opens the file late', async () => {
    const path = join(directory, 'upload');
    // An open that completes 50 ms late, as the thread pool may under load.
    const lateOpen = {
      open: (...args: Parameters<typeof fs.open>) => {
        setTimeout(() => {
          fs.open(...args);
        }, 50);
      },
      write: fs.write,
      writev: fs.writev,
      close: fs.close,
    };
    const sink = createWriteStream(path, { fs: lateOpen });
    const failure = await pipeline(
      new Readable({
        read() {
          this.destroy(new Error('client gone'));
        },
      }),
      sink,
    ).catch((error: unknown) => error as Error);
    expect(failure?.message).to.equal('client gone');
    await removeWhenClosed(sink, path);
    await sleep(100);
    expect(existsSync(path), 'the late open made the file, and it was removed after').to.equal(
      false,
    );
    // A stream closed long ago: removed at once.
    const done = createWriteStream(join(directory, 'done'));
    done.end();
    await once(done, 'close');
    await removeWhenClosed(done, join(directory, 'done'));
    expect(await readdir(directory)).to.deep.equal([]);
  });
});
