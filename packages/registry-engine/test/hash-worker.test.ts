import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { HashWorker } from '../src/hash-worker.js';

const MiB = 1024 * 1024;

function sha256(...parts: Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `sha256:${hash.digest('hex')}`;
}

describe('HashWorker', () => {
  let worker: HashWorker;

  beforeEach(() => {
    worker = new HashWorker();
  });

  afterEach(async () => {
    await worker.close();
  });

  it('hashes what it is fed, in order, and can go on after a digest', async () => {
    const first = Buffer.from('hello ');
    const second = Buffer.from('world');
    const running = worker.start('sha256');
    await running.update(Buffer.from(first));
    expect(await running.digest()).to.equal(sha256(first));
    await running.update(Buffer.from(second));
    expect(running.size).to.equal(11);
    expect(await running.digest()).to.equal(sha256(first, second));
  });

  it('copies what it is fed: the caller keeps its buffers', async () => {
    const whole = new Uint8Array(new ArrayBuffer(16)).fill(1);
    const running = worker.start('sha256');
    await running.update(whole);
    whole.fill(3); // reused by the caller before the digest is read
    expect(await running.digest()).to.equal(sha256(new Uint8Array(16).fill(1)));
    expect(whole.byteLength).to.equal(16);
  });

  it('hashes chunks that straddle its 1 MiB messages', async () => {
    const data = Buffer.alloc(3 * MiB + 5);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    const running = worker.start('sha256');
    for (let at = 0; at < data.length; at += 700_001) {
      await running.update(data.subarray(at, at + 700_001));
    }
    expect(await running.digest()).to.equal(sha256(data));
  });

  it('keeps separate hashes apart, with other algorithms too', async () => {
    const a = worker.start('sha256');
    const b = worker.start('sha512');
    await a.update(Buffer.from('a'));
    await b.update(Buffer.from('b'));
    expect(await a.digest()).to.equal(sha256(Buffer.from('a')));
    expect(await b.digest()).to.equal(`sha512:${createHash('sha512').update('b').digest('hex')}`);
  });

  it('makes a fast producer wait, and still hashes every byte', async () => {
    const running = worker.start('sha256');
    const reference = createHash('sha256');
    let waited = 0;
    for (let i = 0; i < 40; i += 1) {
      const chunk = Buffer.alloc(MiB, i);
      reference.update(chunk);
      const fed = running.update(Buffer.from(chunk));
      const state = { settled: false };
      void fed.then(() => (state.settled = true));
      await Promise.resolve();
      if (!state.settled) waited += 1;
      await fed;
    }
    expect(waited).to.be.greaterThan(0);
    expect(await running.digest()).to.equal(`sha256:${reference.digest('hex')}`);
  });

  it('fails the running hashes when the worker goes away, and starts a new one after', async () => {
    const running = worker.start('sha256');
    await running.update(Buffer.from('x'));
    const pending = running.digest();
    await worker.close();
    try {
      await pending;
      expect.fail('the digest should fail');
    } catch (error) {
      expect((error as Error).message).to.match(/worker exited|hashing/);
    }
    try {
      await running.update(Buffer.from('y'));
      expect.fail('the update should fail');
    } catch (error) {
      expect((error as Error).message).to.match(/worker exited/);
    }
    const fresh = worker.start('sha256');
    await fresh.update(Buffer.from('x'));
    expect(await fresh.digest()).to.equal(sha256(Buffer.from('x')));
  });

  it('refuses a disposed hash', async () => {
    const running = worker.start('sha256');
    await running.update(Buffer.from('x'));
    running.dispose();
    try {
      await running.digest();
      expect.fail('the digest should fail');
    } catch (error) {
      expect((error as Error).message).to.contain('disposed');
    }
  });

  it('reports a hash the worker cannot make', async () => {
    const running = worker.start('md4-nope' as 'sha256');
    await running.update(Buffer.from('x'));
    try {
      await running.digest();
      expect.fail('the digest should fail');
    } catch (error) {
      expect((error as Error).message).to.contain('hashing failed');
    }
  });
});
