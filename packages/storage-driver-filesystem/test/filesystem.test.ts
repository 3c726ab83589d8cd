import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InvalidDriverParameterError,
  StorageDriverRegistry,
  type StorageDriver,
} from '@lading/storage-driver';
import { storageErrorOf } from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import {
  createFilesystemDriver,
  defaultMaxThreads,
  defaultRootDirectory,
  filesystemDriverFactory,
  fromParameters,
} from '../src/index.js';
import { InstrumentedFileSystem, temporaryRoot } from './helpers.js';
import { backgroundFlushBytes } from '../src/filesystem-writer.js';

describe('filesystem driver', () => {
  let root: string;
  beforeEach(async () => {
    root = await temporaryRoot();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('parameters', () => {
    it('default to /var/lib/registry and 100 threads, as distribution does', () => {
      expect(fromParameters({})).to.deep.equal({
        rootDirectory: defaultRootDirectory,
        maxThreads: defaultMaxThreads,
      });
      expect(defaultRootDirectory).to.equal('/var/lib/registry');
      expect(fromParameters({ rootdirectory: '' }).rootDirectory).to.equal(defaultRootDirectory);
    });

    it('take rootdirectory and maxthreads, also as strings from the environment', () => {
      expect(fromParameters({ rootdirectory: '/srv/registry', maxthreads: '50' })).to.deep.equal({
        rootDirectory: '/srv/registry',
        maxThreads: 50,
      });
    });

    it('name the key that is wrong', async () => {
      const registry = new StorageDriverRegistry().register('filesystem', filesystemDriverFactory);
      for (const [parameters, message] of [
        [
          { maxthreads: 10 },
          'filesystem: invalid parameter "maxthreads": expected an integer ≥ 25, got number 10',
        ],
        [
          { maxthreads: 'many' },
          'filesystem: invalid parameter "maxthreads": expected an integer, got "many"',
        ],
        [
          { rootdirectory: 7 },
          'filesystem: invalid parameter "rootdirectory": expected a string, got number 7',
        ],
        [
          { rootdir: '/x' },
          'filesystem: invalid parameter "rootdir": unknown parameter (known: maxthreads, rootdirectory)',
        ],
      ] as const) {
        const error = await storageErrorOf(registry.create('filesystem', parameters));
        expect(error).to.be.instanceOf(InvalidDriverParameterError);
        expect(error.message).to.equal(message);
      }
    });

    it('build a working driver by name', async () => {
      const registry = new StorageDriverRegistry().register('filesystem', filesystemDriverFactory);
      const driver = await registry.create('filesystem', { rootdirectory: root });
      await driver.putContent('/a', Buffer.from('x'));
      expect(await readFile(join(root, 'a'), 'utf8')).to.equal('x');
    });
  });

  describe('concurrency bound', () => {
    it('never runs more file operations at once than maxThreads', async () => {
      const fileSystem = new InstrumentedFileSystem(2);
      const driver = createFilesystemDriver({ rootDirectory: root, maxThreads: 25, fileSystem });
      await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          driver.putContent(`/d/${String(index)}`, Buffer.from('x')),
        ),
      );
      await Promise.all(
        Array.from({ length: 200 }, (_, index) => driver.stat(`/d/${String(index % 60)}`)),
      );
      expect(fileSystem.peak).to.equal(25);
    });

    it('defaults to a bound of 100', async () => {
      const fileSystem = new InstrumentedFileSystem(2);
      const driver = createFilesystemDriver({ rootDirectory: root, fileSystem });
      await driver.putContent('/f', Buffer.from('x'));
      await Promise.all(Array.from({ length: 300 }, () => driver.stat('/f')));
      expect(fileSystem.peak).to.equal(100);
    });
  });

  describe('on disk', () => {
    let driver: StorageDriver;
    beforeEach(() => {
      driver = createFilesystemDriver({ rootDirectory: root });
    });

    it('lays files out exactly at their storage paths', async () => {
      await driver.putContent('/docker/registry/v2/repositories/a/_layers/link', Buffer.from('l'));
      const writer = await driver.writer('/docker/registry/v2/blobs/data');
      await writer.write(Buffer.from('blob'));
      await writer.commit();
      expect(
        await readFile(join(root, 'docker/registry/v2/repositories/a/_layers/link'), 'utf8'),
      ).to.equal('l');
      expect(await readFile(join(root, 'docker/registry/v2/blobs/data'), 'utf8')).to.equal('blob');
      expect(await readdir(join(root, 'docker/registry/v2/blobs'))).to.deep.equal(['data']);
    });

    it('stages uncommitted data beside the target under a name no path can have', async () => {
      const writer = await driver.writer('/uploads/data');
      await writer.write(Buffer.from('partial'));
      await writer.close();
      expect(await readdir(join(root, 'uploads'))).to.deep.equal(['data~partial']);
      expect(await driver.list('/uploads')).to.deep.equal([]);
    });

    it('creates the root directory on first write', async () => {
      const fresh = join(root, 'not', 'yet');
      const late = createFilesystemDriver({ rootDirectory: fresh });
      expect(await late.list('/')).to.deep.equal([]);
      await late.putContent('/f', Buffer.from('x'));
      expect(existsSync(join(fresh, 'f'))).to.equal(true);
    });

    it('resolves a relative root against the working directory', async () => {
      const relative = createFilesystemDriver({
        rootDirectory: join('.', 'node_modules', '.cache-lading-test'),
      });
      await relative.putContent('/f', Buffer.from('x'));
      expect(existsSync(join(process.cwd(), 'node_modules', '.cache-lading-test', 'f'))).to.equal(
        true,
      );
      await rm(join(process.cwd(), 'node_modules', '.cache-lading-test'), { recursive: true });
    });

    it('reports a file in the way as a storage error, not as not-found', async () => {
      await driver.putContent('/file', Buffer.from('x'));
      const error = await storageErrorOf(driver.putContent('/file/below', Buffer.from('y')));
      expect(error.code).to.equal('STORAGE_ERROR');
      expect(error.cause).to.have.property('code');
      expect(error.driverName).to.equal('filesystem');
      expect((await storageErrorOf(driver.writer('/file/below'))).code).to.equal('STORAGE_ERROR');
    });

    it('reports a file in the way of a move as a storage error, not the source as missing', async () => {
      await driver.putContent('/source', Buffer.from('s'));
      await driver.putContent('/file', Buffer.from('x'));
      const error = await storageErrorOf(driver.move('/source', '/file/below'));
      expect(error.code).to.equal('STORAGE_ERROR');
      expect((await driver.getContent('/source')).toString()).to.equal('s');
    });

    it('refuses a writer commit over a directory, keeping the data resumable', async () => {
      await driver.putContent('/dir/inside', Buffer.from('x'));
      const writer = await driver.writer('/dir');
      await writer.write(Buffer.from('y'));
      expect((await storageErrorOf(writer.commit())).code).to.equal('STORAGE_ERROR');
      expect((await driver.writer('/dir', true)).size).to.equal(1);
    });

    it('treats a directory as no file for reads and appends', async () => {
      await driver.putContent('/dir/inside', Buffer.from('x'));
      expect((await storageErrorOf(driver.getContent('/dir'))).code).to.equal('PATH_NOT_FOUND');
      expect((await storageErrorOf(driver.reader('/dir'))).code).to.equal('PATH_NOT_FOUND');
      expect((await storageErrorOf(driver.writer('/dir', true))).code).to.equal('PATH_NOT_FOUND');
    });
  });

  describe('when the disk fails', () => {
    let fileSystem: InstrumentedFileSystem;
    let driver: StorageDriver;
    beforeEach(() => {
      fileSystem = new InstrumentedFileSystem();
      driver = createFilesystemDriver({ rootDirectory: root, fileSystem });
    });

    it('leaves no temporary file behind when putContent fails, and keeps the old content', async () => {
      await driver.putContent('/f', Buffer.from('old'));
      fileSystem.failNext('handle.write', 'ENOSPC');
      const error = await storageErrorOf(driver.putContent('/f', Buffer.from('new')));
      expect(error.message).to.contain('ENOSPC');
      expect(await readdir(root)).to.deep.equal(['f']);
      expect(await readFile(join(root, 'f'), 'utf8')).to.equal('old');
    });

    it('refuses to commit after a failed fsync, so lost data is never published', async () => {
      const writer = await driver.writer('/f');
      await writer.write(Buffer.from('data'));
      fileSystem.failNext('handle.sync', 'EIO');
      expect((await storageErrorOf(writer.commit())).message).to.contain('EIO');
      expect((await storageErrorOf(writer.commit())).message).to.contain(
        'flushing it to disk failed',
      );
      expect((await storageErrorOf(driver.stat('/f'))).code).to.equal('PATH_NOT_FOUND');
      await writer.cancel();
      expect(await readdir(root)).to.deep.equal([]);
    });

    it('flushes a big write in the background, every backgroundFlushBytes', async () => {
      const writer = await driver.writer('/big');
      const chunk = Buffer.alloc(backgroundFlushBytes / 2, 1);
      await writer.write(chunk);
      expect(fileSystem.dataSyncs).to.equal(0);
      await writer.write(chunk);
      expect(fileSystem.dataSyncs).to.equal(1);
      await writer.write(chunk);
      await writer.commit();
      expect((await driver.stat('/big')).size).to.equal(chunk.length * 3);
      expect(await readFile(join(root, 'big'))).to.deep.equal(Buffer.alloc(chunk.length * 3, 1));
    });

    it('closes without waiting for a background flush, and resumes where it stopped', async () => {
      const writer = await driver.writer('/big');
      await writer.write(Buffer.alloc(backgroundFlushBytes, 2));
      expect(fileSystem.dataSyncs).to.equal(1);
      await writer.close(); // the flush may still be running: the handle closes after it
      const resumed = await driver.writer('/big', true);
      expect(resumed.size).to.equal(backgroundFlushBytes);
      await resumed.write(Buffer.from('end'));
      await resumed.commit();
      const content = await readFile(join(root, 'big'));
      expect(content.length).to.equal(backgroundFlushBytes + 3);
      expect(content.subarray(-3).toString()).to.equal('end');
    });

    it('refuses to commit after a failed background flush', async () => {
      const writer = await driver.writer('/big');
      fileSystem.failNext('handle.datasync', 'EIO');
      await writer.write(Buffer.alloc(backgroundFlushBytes));
      expect((await storageErrorOf(writer.commit())).message).to.contain(
        'flushing it to disk failed',
      );
      expect((await storageErrorOf(driver.stat('/big'))).code).to.equal('PATH_NOT_FOUND');
      await writer.cancel();
    });

    it('fsyncs every directory that gained a new directory before renaming into it, within the root only', async () => {
      // Events relative to the root; fsyncs that may run side by side are sorted.
      const steps = (...sizes: number[]) => {
        const events = fileSystem.events.map((event) =>
          event.replace(root, '').replace(/~tmp-[0-9a-f]+$/, '~tmp'),
        );
        fileSystem.events.length = 0;
        return sizes.map((size) => events.splice(0, size).sort());
      };
      await driver.putContent('/a/b/c/f', Buffer.from('x'));
      expect(steps(3, 1, 1)).to.deep.equal([
        ['sync ', 'sync /a', 'sync /a/b'],
        ['rename /a/b/c/f'],
        ['sync /a/b/c'],
      ]);
      await driver.putContent('/a/b/c/g', Buffer.from('y'));
      await driver.move('/a/b/c/g', '/a/d/g');
      expect(steps(1, 1, 1, 1, 2)).to.deep.equal([
        ['rename /a/b/c/g'],
        ['sync /a/b/c'],
        ['sync /a'],
        ['rename /a/d/g'],
        ['sync /a/b/c', 'sync /a/d'],
      ]);
      // A root that does not exist yet: the directories above it are not the driver's.
      fileSystem.directorySyncs.length = 0;
      const nested = join(root, 'new/root');
      await createFilesystemDriver({ rootDirectory: nested, fileSystem }).putContent(
        '/f',
        Buffer.from('z'),
      );
      expect(fileSystem.directorySyncs).to.deep.equal([nested]);
    });

    it('fsyncs the new directories while the file is written, and cleans up when one fails', async () => {
      const slow = new InstrumentedFileSystem(10);
      const slowDriver = createFilesystemDriver({ rootDirectory: root, fileSystem: slow });
      await slowDriver.putContent('/a/b/c/f', Buffer.from('x'));
      // The fsyncs of /, /a and /a/b and the writing of the file, all four at once.
      expect(slow.peak).to.equal(4);
      slow.failNext('directory.sync', 'EIO');
      const error = await storageErrorOf(slowDriver.putContent('/x/f', Buffer.from('y')));
      expect(error.message).to.contain('EIO');
      expect(await readdir(join(root, 'x'))).to.deep.equal([]);
    });

    it('reports a source that vanishes before the rename as missing, other rename failures as errors', async () => {
      await driver.putContent('/from', Buffer.from('x'));
      fileSystem.failNext('rename', 'ENOENT');
      const vanished = await storageErrorOf(driver.move('/from', '/to'));
      expect(vanished.code).to.equal('PATH_NOT_FOUND');
      expect(vanished.message).to.contain('/from');
      fileSystem.failNext('rename', 'EXDEV');
      const refused = await storageErrorOf(driver.move('/from', '/to'));
      expect(refused.code).to.equal('STORAGE_ERROR');
      expect(refused.message).to.contain('EXDEV');
      await driver.move('/from', '/to');
      expect((await driver.getContent('/to')).toString()).to.equal('x');
    });

    it('tolerates filesystems that cannot fsync a directory', async () => {
      fileSystem.failNext('directory.sync', 'EINVAL');
      await driver.putContent('/f', Buffer.from('x'));
      expect((await driver.getContent('/f')).toString()).to.equal('x');
    });

    it('reports other directory fsync failures', async () => {
      fileSystem.failNext('directory.sync', 'EIO');
      expect((await storageErrorOf(driver.putContent('/f', Buffer.from('x')))).message).to.contain(
        'EIO',
      );
    });

    it('reports failures to open, copy and remove', async () => {
      await driver.putContent('/f', Buffer.from('x'));
      const writer = await driver.writer('/g');
      await writer.write(Buffer.from('y'));
      await writer.close();
      fileSystem.failNext('open', 'EMFILE');
      expect((await storageErrorOf(driver.reader('/f'))).message).to.contain('EMFILE');
      fileSystem.failNext('open', 'EMFILE');
      expect((await storageErrorOf(driver.writer('/g', true))).message).to.contain('EMFILE');
      fileSystem.failNext('copyFile', 'ENOSPC');
      expect((await storageErrorOf(driver.writer('/f', true))).message).to.contain('ENOSPC');
      fileSystem.failNext('rm', 'EBUSY');
      expect((await storageErrorOf(driver.delete('/f'))).message).to.contain('EBUSY');
    });

    it('closes what it opened when a later step fails', async () => {
      await driver.putContent('/f', Buffer.from('x'));
      fileSystem.failNext('handle.stat', 'EIO');
      expect((await storageErrorOf(driver.reader('/f'))).message).to.contain('EIO');
      fileSystem.failNext('handle.stat', 'EIO');
      expect((await storageErrorOf(driver.writer('/f', true))).message).to.contain('EIO');
      // Nothing is left open: the staging copy can be removed and the file replaced.
      await (await driver.writer('/f', true)).cancel();
      await driver.putContent('/f', Buffer.from('y'));
      expect((await driver.getContent('/f')).toString()).to.equal('y');
    });

    it('reports errors other than not-found as storage errors', async () => {
      await driver.putContent('/f', Buffer.from('x'));
      fileSystem.failNext('lstat', 'EACCES');
      const error = await storageErrorOf(driver.delete('/f'));
      expect(error.code).to.equal('STORAGE_ERROR');
      expect(error.cause).to.have.property('code', 'EACCES');
      fileSystem.failNext('readdir', 'EACCES');
      expect((await storageErrorOf(driver.list('/'))).code).to.equal('STORAGE_ERROR');
      fileSystem.failNext('open', 'EACCES');
      expect((await storageErrorOf(driver.writer('/f', true))).code).to.equal('STORAGE_ERROR');
      expect((await driver.getContent('/f')).toString()).to.equal('x');
    });
  });

  describe('a tree another process wrote', () => {
    it('is read, listed, walked and written as its own', async () => {
      const repository = join(root, 'docker/registry/v2/repositories/library/alpine');
      await mkdir(join(repository, '_uploads/4f1e'), { recursive: true });
      await mkdir(join(repository, '_layers/sha256/ab12'), { recursive: true, mode: 0o700 });
      await writeFile(join(repository, '_layers/sha256/ab12/link'), 'sha256:ab12');
      // distribution writes an upload's bytes in place, with no staging file.
      await writeFile(join(repository, '_uploads/4f1e/data'), 'first half ');
      await writeFile(join(repository, '_uploads/4f1e/startedat'), '2026-11-28T00:00:00Z');
      await writeFile(join(repository, 'not a storage name'), 'ignored');
      const driver = createFilesystemDriver({ rootDirectory: root });
      const base = '/docker/registry/v2/repositories/library/alpine';
      expect((await driver.getContent(`${base}/_layers/sha256/ab12/link`)).toString()).to.equal(
        'sha256:ab12',
      );
      expect(await driver.list(base)).to.deep.equal([`${base}/_layers`, `${base}/_uploads`]);
      const resumed = await driver.writer(`${base}/_uploads/4f1e/data`, true);
      expect(resumed.size).to.equal(11);
      await resumed.write(Buffer.from('second half'));
      await resumed.commit();
      expect((await driver.getContent(`${base}/_uploads/4f1e/data`)).toString()).to.equal(
        'first half second half',
      );
      const seen: string[] = [];
      await driver.walk(base, (info) => {
        seen.push(info.path.slice(base.length));
      });
      expect(seen).to.deep.equal([
        '/_layers',
        '/_layers/sha256',
        '/_layers/sha256/ab12',
        '/_layers/sha256/ab12/link',
        '/_uploads',
        '/_uploads/4f1e',
        '/_uploads/4f1e/data',
        '/_uploads/4f1e/startedat',
      ]);
      await driver.delete(`${base}/_uploads`);
      expect(existsSync(join(repository, '_uploads'))).to.equal(false);
    });
  });
});
