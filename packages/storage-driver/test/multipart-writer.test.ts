import { expect } from 'chai';
import {
  MultipartWriter,
  isStorageError,
  openMultipartWriter,
  type UploadedPart,
} from '../src/index.js';
import { FakeMultipartStore } from './fake-multipart-store.js';

// Parts of 4 bytes; the store takes parts down to 3 (see FakeMultipartStore).
const path = '/dir/file';
const key = 'root/dir/file';
const partialKey = 'root/dir/file~partial';

async function failure(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Lets a part already on its way reach the store. */
function aMoment(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe('MultipartWriter and openMultipartWriter', () => {
  let store: FakeMultipartStore;
  const committed = () => store.objects.get(key)?.toString();

  beforeEach(() => {
    store = new FakeMultipartStore();
  });

  describe('a commit that failed', () => {
    it('can be retried after completeUpload failed, without sending the last piece twice', async () => {
      const writer = await openMultipartWriter(store, path, false);
      await writer.write(Buffer.from('abcdefghij'));
      store.failNext('completeUpload');
      expect(String(await failure(writer.commit()))).to.contain('completeUpload failed');
      await writer.commit();
      expect(store.callsOf('uploadPart')).to.have.length(3);
      expect(committed()).to.equal('abcdefghij');
    });

    it('can be retried after the state could not be deleted, leaving the file as committed', async () => {
      const writer = await openMultipartWriter(store, path, false);
      await writer.write(Buffer.from('abcdefghij'));
      await writer.close();
      const resumed = await openMultipartWriter(store, path, true);
      await resumed.write(Buffer.from('kl'));
      store.failNext('deletePartial');
      expect(String(await failure(resumed.commit()))).to.contain('deletePartial failed');
      expect(committed()).to.equal('abcdefghijkl');
      await resumed.commit();
      expect(committed()).to.equal('abcdefghijkl');
      expect(store.partials.has(partialKey)).to.equal(false);
    });
  });

  describe('a fresh writer', () => {
    it('commits a file smaller than one part with one putObject, and starts no upload', async () => {
      const writer = await openMultipartWriter(store, path, false);
      await writer.write(Buffer.from('abc'));
      expect(writer.size).to.equal(3);
      await writer.commit();
      expect(store.calls).to.deep.equal([`readPartial ${partialKey} false`, `putObject ${key} 3`]);
      expect(committed()).to.equal('abc');
    });

    it('streams whole parts into an upload, and completes it with the last piece on commit', async () => {
      const writer = await openMultipartWriter(store, path, false);
      await writer.write(Buffer.from('abcdefghij'));
      expect(store.callsOf('uploadPart')).to.include(`uploadPart ${key} upload-1 1 4`);
      expect(store.objects.has(key), 'nothing visible before commit').to.equal(false);
      await writer.commit();
      expect(store.callsOf('uploadPart')).to.deep.equal([
        `uploadPart ${key} upload-1 1 4`,
        `uploadPart ${key} upload-1 2 4`,
        `uploadPart ${key} upload-1 3 2`,
      ]);
      expect(store.callsOf('completeUpload')).to.deep.equal([`completeUpload ${key} upload-1 3`]);
      expect(committed()).to.equal('abcdefghij');
      expect(store.uploads.size).to.equal(0);
    });

    it('drops what an earlier writer left: aborts its upload, and removes its state on commit', async () => {
      const earlier = await openMultipartWriter(store, path, false);
      await earlier.write(Buffer.from('abcdefghi'));
      await earlier.close();
      store.calls.length = 0;
      const writer = await openMultipartWriter(store, path, false);
      expect(writer.size).to.equal(0);
      expect(store.calls).to.deep.equal([
        `readPartial ${partialKey} false`,
        `abortUpload ${key} upload-1`,
      ]);
      await writer.write(Buffer.from('xy'));
      await writer.commit();
      expect(committed()).to.equal('xy');
      expect(store.callsOf('deletePartial')).to.deep.equal([`deletePartial ${partialKey}`]);
      expect([store.uploads.size, store.partials.size]).to.deep.equal([0, 0]);
    });

    it('commits an empty file when its upload holds no part, and aborts the upload', async () => {
      // An upload whose every part failed before a commit of nothing.
      const uploadId = await store.createUpload(key);
      const writer = new MultipartWriter(store, path, {
        uploadId,
        parts: [],
        tail: Buffer.alloc(0),
        partialExists: false,
      });
      await writer.commit();
      expect(store.calls.slice(1)).to.deep.equal([
        `putObject ${key} 0`,
        `abortUpload ${key} ${uploadId}`,
      ]);
      expect(committed()).to.equal('');
      expect(store.uploads.size).to.equal(0);
    });
  });

  describe('close and resume', () => {
    it('saves the upload and the unsent tail, and resumes without sending a stored byte again', async () => {
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('abcdefghij'));
      await first.close();
      expect(store.callsOf('writePartial')).to.deep.equal([
        `writePartial ${partialKey} upload-1 2 2`,
      ]);
      store.calls.length = 0;

      const resumed = await openMultipartWriter(store, path, true);
      expect(resumed.size).to.equal(10);
      await resumed.write(Buffer.from('klm'));
      await resumed.commit();
      // The tail "ij" goes out inside part 3; parts 1 and 2 are not sent again.
      expect(store.callsOf('uploadPart')).to.deep.equal([
        `uploadPart ${key} upload-1 3 4`,
        `uploadPart ${key} upload-1 4 1`,
      ]);
      expect(committed()).to.equal('abcdefghijklm');
      expect(store.partials.size).to.equal(0);
    });

    it('resumes a writer that closed before its first whole part from the tail alone', async () => {
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('ab'));
      await first.close();
      expect(store.callsOf('writePartial')).to.deep.equal([`writePartial ${partialKey} - 0 2`]);
      const resumed = await openMultipartWriter(store, path, true);
      expect(resumed.size).to.equal(2);
      await resumed.write(Buffer.from('c'));
      await resumed.commit();
      expect(store.callsOf('listParts')).to.deep.equal([]);
      expect(store.callsOf('putObject')).to.deep.equal([`putObject ${key} 3`]);
      expect(committed()).to.equal('abc');
      expect(store.partials.size).to.equal(0);
    });

    it('ignores a part that a crashed writer uploaded after the last close, and overwrites it', async () => {
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('abcdefgh'));
      await first.close();
      const crashed = await openMultipartWriter(store, path, true);
      await crashed.write(Buffer.from('XXXXY')); // part 3 goes out, then the process dies
      await aMoment();
      expect(store.uploads.get('upload-1')?.parts.size).to.equal(3);

      const resumed = await openMultipartWriter(store, path, true);
      expect(resumed.size).to.equal(8);
      await resumed.write(Buffer.from('ij'));
      await resumed.commit();
      expect(committed()).to.equal('abcdefghij');
    });

    it('keeps a part that failed to send in the saved tail, and sends it on resume', async () => {
      store.failNext('uploadPart');
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('abcd'));
      await first.close();
      expect(store.callsOf('writePartial')).to.deep.equal([
        `writePartial ${partialKey} upload-1 0 4`,
      ]);
      const resumed = await openMultipartWriter(store, path, true);
      expect(resumed.size).to.equal(4);
      await resumed.commit();
      expect(committed()).to.equal('abcd');
    });

    it('refuses to resume an upload that lost one of its parts', async () => {
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('abcdefgh'));
      await first.close();
      store.uploads.get('upload-1')?.parts.delete(1);
      const error = await failure(openMultipartWriter(store, path, true));
      expect((error as Error).message).to.equal(
        `multipart upload upload-1 of ${key} holds 1 of its 2 parts; the store lost some`,
      );
      expect(store.partials.has(partialKey), 'the state stays for a look').to.equal(true);
    });

    for (const [garbling, number] of [
      ['names a part twice in place of another', () => 1],
      ['gives a part number it cannot read', (listed: number) => (listed === 3 ? NaN : listed)],
    ] as const) {
      it(`refuses a listing that ${garbling}`, async () => {
        const first = await openMultipartWriter(store, path, false);
        await first.write(Buffer.from('abcdefghijkl'));
        await first.close();
        const listParts = store.listParts.bind(store);
        store.listParts = async (...args): Promise<UploadedPart[] | undefined> => {
          const parts = (await listParts(...args)) ?? [];
          return parts.map((part) => ({ ...part, number: number(part.number) }));
        };
        const error = await failure(openMultipartWriter(store, path, true));
        expect((error as Error).message).to.match(/holds 3 of its 3 parts; the store lost some$/);
      });
    }
  });

  describe('when the closed writer’s upload is gone', () => {
    async function closeAndLoseUpload(): Promise<void> {
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('abcdefgh'));
      await first.close();
      // What a lifecycle rule, or a commit that crashed before removing the state, leaves.
      store.uploads.clear();
    }

    it('drops the state and continues the committed file', async () => {
      await store.putObject(key, Buffer.from('ab'));
      await closeAndLoseUpload();
      const writer = await openMultipartWriter(store, path, true);
      expect(writer.size).to.equal(2);
      expect(store.partials.size).to.equal(0);
      await writer.write(Buffer.from('c'));
      await writer.commit();
      expect(committed()).to.equal('abc');
    });

    it('drops the state and says there is nothing to resume when nothing was committed', async () => {
      await closeAndLoseUpload();
      const error = await failure(openMultipartWriter(store, path, true));
      expect(isStorageError(error, 'PATH_NOT_FOUND'), String(error)).to.equal(true);
      expect((error as { path?: string }).path).to.equal(path);
      expect(store.partials.size).to.equal(0);
    });
  });

  describe('appending to committed content', () => {
    it('reads a file under the part minimum back as the tail', async () => {
      await store.putObject(key, Buffer.from('ab'));
      store.calls.length = 0;
      const writer = await openMultipartWriter(store, path, true);
      expect(writer.size).to.equal(2);
      expect(store.calls).to.deep.equal([
        `readPartial ${partialKey} true`,
        `headObject ${key}`,
        `readObject ${key}`,
      ]);
      await writer.write(Buffer.from('cdef'));
      await writer.commit();
      expect(committed()).to.equal('abcdef');
      expect(store.callsOf('copyIntoParts')).to.deep.equal([]);
    });

    it('does not read an empty file back', async () => {
      await store.putObject(key, Buffer.alloc(0));
      const writer = await openMultipartWriter(store, path, true);
      expect(writer.size).to.equal(0);
      await writer.write(Buffer.from('x'));
      await writer.commit();
      expect(store.callsOf('readObject')).to.deep.equal([]);
      expect(committed()).to.equal('x');
    });

    it('copies a larger file server-side into the first parts, never reading it', async () => {
      await store.putObject(key, Buffer.from('abcdefghij'));
      const writer = await openMultipartWriter(store, path, true);
      expect(writer.size).to.equal(10);
      expect(store.callsOf('copyIntoParts')).to.deep.equal([
        `copyIntoParts ${key} upload-1 ${key} 10`,
      ]);
      await writer.write(Buffer.from('k'));
      await writer.commit();
      expect(store.callsOf('readObject')).to.deep.equal([]);
      expect(store.callsOf('uploadPart')).to.deep.equal([`uploadPart ${key} upload-1 3 1`]);
      expect(committed()).to.equal('abcdefghijk');
    });

    it('aborts the new upload when the copy fails, and reports the copy’s failure', async () => {
      await store.putObject(key, Buffer.from('abcdefghij'));
      store.failNext('copyIntoParts');
      const error = await failure(openMultipartWriter(store, path, true));
      expect((error as Error).message).to.equal('copyIntoParts failed');
      expect(store.callsOf('abortUpload')).to.deep.equal([`abortUpload ${key} upload-1`]);
      expect(store.uploads.size).to.equal(0);

      store.failNext('copyIntoParts');
      store.failNext('abortUpload');
      const again = await failure(openMultipartWriter(store, path, true));
      expect((again as Error).message, 'not the abort’s').to.equal('copyIntoParts failed');
      expect(committed()).to.equal('abcdefghij');
    });

    it('says there is nothing to append to when no file and no state exist', async () => {
      const error = await failure(openMultipartWriter(store, path, true));
      expect(isStorageError(error, 'PATH_NOT_FOUND'), String(error)).to.equal(true);
    });
  });

  describe('cancel', () => {
    it('aborts the upload and removes the state, also of earlier writers; committed content stays', async () => {
      await store.putObject(key, Buffer.from('old'));
      const first = await openMultipartWriter(store, path, false);
      await first.write(Buffer.from('abcdefgh'));
      await first.close();
      const resumed = await openMultipartWriter(store, path, true);
      await resumed.write(Buffer.from('ijklm'));
      await resumed.cancel();
      expect(store.callsOf('abortUpload')).to.deep.equal([`abortUpload ${key} upload-1`]);
      expect([store.uploads.size, store.partials.size]).to.deep.equal([0, 0]);
      expect(committed()).to.equal('old');
    });

    it('aborts the upload even while its part failed to send', async () => {
      store.failNext('uploadPart');
      const writer = await openMultipartWriter(store, path, false);
      await writer.write(Buffer.from('abcd'));
      await writer.cancel();
      expect(store.callsOf('abortUpload')).to.deep.equal([`abortUpload ${key} upload-1`]);
      expect(store.uploads.size).to.equal(0);
    });

    it('asks nothing of the store for a writer that sent nothing', async () => {
      const writer = await openMultipartWriter(store, path, false);
      await writer.write(Buffer.from('ab'));
      await writer.cancel();
      expect(store.calls).to.deep.equal([`readPartial ${partialKey} false`]);
    });
  });
});
