import { expect } from 'chai';
import { PartUploader } from '../src/index.js';

/** A store that records parts and can be told to fail. */
function recordingStore() {
  const parts: string[] = [];
  let failures = 0;
  return {
    parts,
    failNext(count: number) {
      failures = count;
    },
    send: async (part: Buffer) => {
      await Promise.resolve();
      if (failures > 0) {
        failures--;
        throw new Error('store unavailable');
      }
      parts.push(part.toString());
    },
  };
}

describe('PartUploader', () => {
  it('cuts writes of any size into whole parts, in order, keeping the rest', async () => {
    const store = recordingStore();
    const uploader = new PartUploader(4, store.send);
    await uploader.write(Buffer.from('ab'));
    await uploader.write(Buffer.from('cdefghij'));
    await uploader.write(Buffer.from('k'));
    await uploader.settle();
    expect(store.parts).to.deep.equal(['abcd', 'efgh']);
    expect(uploader.pending).to.equal(3);
    expect(uploader.taken).to.equal(11);
    expect(uploader.unsent().toString()).to.equal('ijk');
    expect(uploader.hasWholeParts).to.equal(false);
  });

  it('starts from a tail and flushes every whole part', async () => {
    const store = recordingStore();
    const uploader = new PartUploader(3, store.send, Buffer.from('1234567'));
    expect(uploader.hasWholeParts).to.equal(true);
    await uploader.flush();
    expect(store.parts).to.deep.equal(['123', '456']);
    expect(uploader.unsent().toString()).to.equal('7');
    expect([uploader.taken, uploader.pending]).to.deep.equal([7, 1]);
  });

  it('returns from a large write with at most one part still on its way', async () => {
    const sent: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const uploader = new PartUploader(2, async (part) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      sent.push(part.toString());
      inFlight--;
    });
    await uploader.write(Buffer.from('aabbccddee'));
    expect(sent).to.deep.equal(['aa', 'bb', 'cc', 'dd']);
    expect(uploader.pending).to.equal(2);
    await uploader.flush();
    expect(sent).to.deep.equal(['aa', 'bb', 'cc', 'dd', 'ee']);
    expect(peak).to.equal(1);
  });

  it('keeps a part that failed first in line, and sends it again on the next call', async () => {
    const store = recordingStore();
    const uploader = new PartUploader(2, store.send);
    store.failNext(1);
    await uploader.write(Buffer.from('xx'));
    const failure = await uploader.write(Buffer.from('yyz')).catch((error: unknown) => error);
    expect((failure as Error).message).to.equal('store unavailable');
    expect(uploader.unsent().toString()).to.equal('xxyyz');
    await uploader.flush();
    expect(store.parts).to.deep.equal(['xx', 'yy']);
    expect(uploader.unsent().toString()).to.equal('z');
  });

  it('refuses a part size that is not a positive integer', () => {
    expect(() => new PartUploader(0, () => Promise.resolve())).to.throw(RangeError);
    expect(() => new PartUploader(1.5, () => Promise.resolve())).to.throw(RangeError);
  });
});
