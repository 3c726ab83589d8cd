import { expect } from 'chai';
import { expectStorageError, readBack } from '../assertions.js';
import { patternBytes, patternDigest, summarize } from '../content.js';
import type { SuiteContext } from '../context.js';

const MiB = 1024 * 1024;

export function describeWriterTests(context: SuiteContext): void {
  describe('writer', () => {
    it('reports its size after every write', async () => {
      const { driver } = context;
      const writer = await driver.writer(context.path('file'));
      expect(writer.size).to.equal(0);
      await writer.write(Buffer.from('abc'));
      expect(writer.size).to.equal(3);
      await writer.write(Buffer.alloc(0));
      await writer.write(Buffer.from('defg'));
      expect(writer.size).to.equal(7);
      await writer.commit();
      expect(writer.size).to.equal(7);
      expect((await driver.getContent(context.path('file'))).toString()).to.equal('abcdefg');
    });

    it('keeps content invisible until commit', async () => {
      const { driver } = context;
      const [fresh, existing] = [context.path('fresh'), context.path('existing')];
      await driver.putContent(existing, Buffer.from('old'));
      const freshWriter = await driver.writer(fresh);
      const existingWriter = await driver.writer(existing);
      await freshWriter.write(patternBytes('invisible', 0, MiB));
      await existingWriter.write(patternBytes('invisible', 0, MiB));
      await existingWriter.close();
      await expectStorageError(driver, driver.stat(fresh), 'PATH_NOT_FOUND', fresh);
      await expectStorageError(driver, driver.getContent(fresh), 'PATH_NOT_FOUND', fresh);
      await expectStorageError(driver, driver.reader(fresh), 'PATH_NOT_FOUND', fresh);
      expect((await driver.getContent(existing)).toString()).to.equal('old');
      expect((await driver.stat(existing)).size).to.equal(3);
      await freshWriter.commit();
      expect((await driver.stat(fresh)).size).to.equal(MiB);
    });

    it('resumes across several writers and closes, keeping every byte', async () => {
      const { driver } = context;
      const path = context.path('resumed');
      // Sessions below, at and past the 5 MiB part minimum of S3-like stores.
      const sessions = [3 * MiB, 5 * MiB + 1, 1, 6 * MiB, 100];
      let offset = 0;
      for (const [index, length] of sessions.entries()) {
        const writer = await driver.writer(path, index > 0);
        expect(writer.size, `size when session ${String(index)} opens`).to.equal(offset);
        for (let written = 0; written < length; written += MiB) {
          const piece = Math.min(MiB, length - written);
          await writer.write(patternBytes('resume', offset + written, piece));
        }
        offset += length;
        expect(writer.size).to.equal(offset);
        if (index < sessions.length - 1) await writer.close();
        else await writer.commit();
      }
      expect(await summarize(await driver.reader(path))).to.deep.equal({
        size: offset,
        sha256: patternDigest('resume', offset),
      });
    });

    it('starts afresh when opened without append', async () => {
      const { driver } = context;
      const path = context.path('fresh');
      const first = await driver.writer(path);
      await first.write(Buffer.from('discarded'));
      await first.close();
      const second = await driver.writer(path);
      expect(second.size).to.equal(0);
      await second.write(Buffer.from('kept'));
      await second.commit();
      expect((await driver.getContent(path)).toString()).to.equal('kept');
    });

    it('appends to a zero-length writer that was committed', async () => {
      const { driver } = context;
      const path = context.path('empty-then-more');
      const empty = await driver.writer(path);
      await empty.commit();
      expect((await driver.stat(path)).size).to.equal(0);
      const more = await driver.writer(path, true);
      expect(more.size).to.equal(0);
      await more.write(Buffer.from('more'));
      await more.commit();
      expect((await driver.getContent(path)).toString()).to.equal('more');
    });

    it('appends to zero-length putContent', async () => {
      const { driver } = context;
      const path = context.path('put-empty');
      await driver.putContent(path, Buffer.alloc(0));
      const writer = await driver.writer(path, true);
      await writer.write(Buffer.from('appended'));
      await writer.commit();
      expect((await driver.getContent(path)).toString()).to.equal('appended');
    });

    it('appends to committed content', async () => {
      const { driver } = context;
      const path = context.path('grown');
      const head = patternBytes('grow', 0, 5 * MiB + 3);
      await driver.putContent(path, head);
      const writer = await driver.writer(path, true);
      expect(writer.size).to.equal(head.length);
      await writer.write(patternBytes('grow', head.length, 1000));
      await writer.commit();
      expect(await summarize(await driver.reader(path))).to.deep.equal({
        size: head.length + 1000,
        sha256: patternDigest('grow', head.length + 1000),
      });
    });

    it('rejects append when there is nothing to continue with PathNotFoundError', async () => {
      const { driver } = context;
      const path = context.path('nothing');
      await expectStorageError(driver, driver.writer(path, true), 'PATH_NOT_FOUND', path);
    });

    it('cancel discards everything written, also by earlier writers', async () => {
      const { driver } = context;
      const path = context.path('cancelled');
      const first = await driver.writer(path);
      await first.write(patternBytes('cancel', 0, 2 * MiB));
      await first.close();
      const second = await driver.writer(path, true);
      expect(second.size).to.equal(2 * MiB);
      await second.write(Buffer.from('more'));
      await second.cancel();
      await expectStorageError(driver, driver.stat(path), 'PATH_NOT_FOUND', path);
      await expectStorageError(driver, driver.writer(path, true), 'PATH_NOT_FOUND', path);
      const files: string[] = [];
      await driver.walk('/', (info) => {
        if (!info.isDir && info.path.startsWith(`${context.dir}/`)) files.push(info.path);
      });
      expect(files, 'files left behind').to.deep.equal([]);
    });

    it('cancel keeps the committed content', async () => {
      const { driver } = context;
      const path = context.path('kept');
      await driver.putContent(path, Buffer.from('committed'));
      const writer = await driver.writer(path);
      await writer.write(Buffer.from('replacement'));
      await writer.cancel();
      expect((await driver.getContent(path)).toString()).to.equal('committed');
      const appender = await driver.writer(path, true);
      await appender.write(Buffer.from(' and more'));
      await appender.cancel();
      expect((await driver.getContent(path)).toString()).to.equal('committed');
    });

    it('commit replaces existing content whole', async () => {
      const { driver } = context;
      const path = context.path('replaced');
      await driver.putContent(path, patternBytes('old', 0, 100_000));
      const writer = await driver.writer(path);
      await writer.write(Buffer.from('new'));
      await writer.commit();
      expect((await driver.getContent(path)).toString()).to.equal('new');
      expect((await readBack(driver, path)).toString()).to.equal('new');
    });

    it('refuses use after commit, cancel and close', async () => {
      const { driver } = context;
      const committed = await driver.writer(context.path('a'));
      await committed.commit();
      await expectStorageError(driver, committed.write(Buffer.from('x')), 'FILE_WRITER_STATE');
      await expectStorageError(driver, committed.commit(), 'FILE_WRITER_STATE');
      await expectStorageError(driver, committed.cancel(), 'FILE_WRITER_STATE');
      await committed.close();
      const cancelled = await driver.writer(context.path('b'));
      await cancelled.cancel();
      await expectStorageError(driver, cancelled.write(Buffer.from('x')), 'FILE_WRITER_STATE');
      await expectStorageError(driver, cancelled.commit(), 'FILE_WRITER_STATE');
      const closed = await driver.writer(context.path('c'));
      await closed.write(Buffer.from('x'));
      await closed.close();
      await closed.close();
      await expectStorageError(driver, closed.write(Buffer.from('y')), 'FILE_WRITER_STATE');
      const resumed = await driver.writer(context.path('c'), true);
      expect(resumed.size).to.equal(1);
      await resumed.cancel();
    });
  });
}
