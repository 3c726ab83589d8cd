import { expect } from 'chai';
import { copyServerSide } from '../src/index.js';
import { FakeMultipartStore } from './fake-multipart-store.js';

describe('copyServerSide', () => {
  const small = Buffer.from('12345678');
  const large = Buffer.from('0123456789abcdefghij');

  it('copies an object up to the threshold in one request', async () => {
    const store = new FakeMultipartStore();
    store.objects.set('src', small);
    await copyServerSide(store, 'src', 'dst', small.length);
    expect(store.objects.get('dst')).to.deep.equal(small);
    expect(store.calls).to.deep.equal(['copyObject dst src']);
  });

  it('copies a larger one into the parts of an upload, and completes it', async () => {
    const store = new FakeMultipartStore();
    store.objects.set('src', large);
    await copyServerSide(store, 'src', 'dst', large.length);
    expect(store.objects.get('dst')).to.deep.equal(large);
    expect(store.calls.map((call) => call.split(' ')[0])).to.deep.equal([
      'createUpload',
      'copyIntoParts',
      'completeUpload',
    ]);
    expect(store.uploads.size, 'no upload left open').to.equal(0);
  });

  it('aborts the upload when a step fails, and fails with that step', async () => {
    for (const step of ['copyIntoParts', 'completeUpload'] as const) {
      const store = new FakeMultipartStore();
      store.objects.set('src', large);
      store.failNext(step);
      const failure = await copyServerSide(store, 'src', 'dst', large.length).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      expect(failure, step).to.be.instanceOf(Error);
      expect(store.callsOf('abortUpload'), step).to.have.length(1);
      expect(store.uploads.size, step).to.equal(0);
      expect(store.objects.has('dst'), step).to.equal(false);
    }
  });

  it('fails with the step, not the abort, when the abort fails too', async () => {
    const store = new FakeMultipartStore();
    store.objects.set('src', large);
    store.failNext('copyIntoParts');
    store.failNext('abortUpload');
    const failure = await copyServerSide(store, 'src', 'dst', large.length).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).to.contain('copyIntoParts');
  });
});
