import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Spool, type SpoolOptions } from '../src/index.js';
import { writeThenKill } from './support/child.js';

const text = (...values: string[]) => values.map((value) => Buffer.from(value));

async function drain(spool: Spool, batch = 3): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const records = await spool.read(batch);
    if (records.length === 0) return seen;
    seen.push(...records.map((record) => record.payload.toString()));
    await spool.ack(records);
  }
}

describe('Spool', () => {
  let directory: string;
  const open = (options: Partial<SpoolOptions> = {}) => Spool.open({ directory, ...options });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-spool-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads what was appended in order, across segments, and deletes delivered segments', async () => {
    const spool = await open({ segmentBytes: 64 });
    const values = Array.from({ length: 40 }, (_, n) => `event-${n}`);
    for (const value of values) await spool.append(text(value));
    expect(spool.pending).to.equal(40);
    const segments = (await readdir(directory)).filter((name) => name.endsWith('.seg'));
    expect(segments.length).to.be.greaterThan(5);
    expect((await spool.read(2)).map((record) => record.payload.toString())).to.deep.equal([
      'event-0',
      'event-1',
    ]);
    expect(await drain(spool)).to.deep.equal(values);
    expect(spool.pending).to.equal(0);
    expect(spool.bytes).to.equal(0);
    const left = (await readdir(directory)).filter((name) => name.endsWith('.seg'));
    expect(left).to.have.length(1);
    await spool.close();
  });

  it('resumes after the acknowledged cursor when opened again', async () => {
    const first = await open({ segmentBytes: 64 });
    await first.append(text('a', 'b', 'c', 'd', 'e'));
    await first.ack(await first.read(2));
    await first.close();
    const second = await open();
    expect(second.pending).to.equal(3);
    await second.append(text('f'));
    expect(await drain(second, 1)).to.deep.equal(['c', 'd', 'e', 'f']);
    await second.close();
    const third = await open();
    expect(third.pending).to.equal(0);
    expect(await third.read(10)).to.deep.equal([]);
    await third.close();
    // Starts that spool nothing leave no trail of empty segments.
    for (let n = 0; n < 3; n += 1) await (await open()).close();
    const segments = (await readdir(directory)).filter((name) => name.endsWith('.seg'));
    expect(segments).to.have.length(2);
  });

  it('wakes a reader when records arrive, and when closed', async () => {
    const spool = await open();
    const waiting = spool.waitForRecords();
    await spool.append(text('x'));
    await waiting;
    await spool.ack(await spool.read(1));
    const released = spool.waitForRecords();
    await spool.close();
    await released;
    let error: unknown;
    await spool.append(text('y')).catch((caught: unknown) => (error = caught));
    expect(String(error)).to.contain('closed');
  });

  it('ignores and truncates a torn last record, then appends after it', async () => {
    const spool = await open();
    await spool.append(text('one', 'two'));
    await spool.close();
    const [segment] = (await readdir(directory)).filter((name) => name.endsWith('.seg')).sort();
    const path = join(directory, segment!);
    const valid = (await stat(path)).size;
    // A header that promises 100 bytes, followed by only 3 of them.
    const torn = Buffer.alloc(11);
    torn.writeUInt32BE(100, 0);
    await appendFile(path, torn);
    const warnings: string[] = [];
    const reopened = await open({ logger: (_level, message) => warnings.push(message) });
    expect(reopened.pending).to.equal(2);
    expect((await stat(path)).size).to.equal(valid);
    expect(warnings.join()).to.contain('torn');
    await reopened.append(text('three'));
    expect(await drain(reopened)).to.deep.equal(['one', 'two', 'three']);
    await reopened.close();
  });

  it('ignores a complete-length record whose checksum does not match', async () => {
    const spool = await open();
    await spool.append(text('kept'));
    await spool.close();
    const [segment] = (await readdir(directory)).filter((name) => name.endsWith('.seg')).sort();
    const frame = Buffer.alloc(8 + 4);
    frame.writeUInt32BE(4, 0);
    frame.writeUInt32BE(12345, 4);
    frame.write('lost', 8);
    await appendFile(join(directory, segment!), frame);
    const reopened = await open();
    expect(await drain(reopened)).to.deep.equal(['kept']);
    await reopened.close();
  });

  it('starts over from the oldest segment when the cursor is unreadable', async () => {
    const spool = await open();
    await spool.append(text('a', 'b'));
    await spool.ack(await spool.read(1));
    await spool.close();
    await writeFile(join(directory, 'cursor.json'), 'garbage');
    const reopened = await open();
    expect(await drain(reopened)).to.deep.equal(['a', 'b']);
    await reopened.close();
  });

  it('refuses the newest events when full, counts them, and takes more once there is room', async () => {
    const logged: unknown[] = [];
    // Each record is 8 bytes of framing + 4 of payload.
    const spool = await open({ maxBytes: 36, logger: (...entry) => logged.push(entry) });
    const accepted = await Promise.all(
      ['e-01', 'e-02', 'e-03', 'e-04', 'e-05'].map((value) => spool.append(text(value))),
    );
    expect(accepted).to.deep.equal([true, true, true, false, false]);
    expect(spool.droppedFull).to.equal(2);
    expect(spool.bytes).to.equal(36);
    expect(logged).to.have.length(2);
    await spool.ack(await spool.read(1));
    expect(await spool.append(text('e-06'))).to.equal(true);
    expect(await drain(spool)).to.deep.equal(['e-02', 'e-03', 'e-06']);
    await spool.close();
  });

  it('keeps every append that resolved when the writer is killed with SIGKILL', async function () {
    this.timeout(20000);
    const reported = await writeThenKill(['spool', directory], 300);
    const spool = await open();
    const recovered = (await drain(spool, 50)).map(Number);
    await spool.close();
    // Nothing lost, nothing reordered: exactly 0, 1, 2, … up to at least the last reported.
    expect(recovered).to.deep.equal(recovered.map((_, index) => index));
    expect(recovered.length).to.be.greaterThan(Math.max(...reported));
    const cursor = JSON.parse(await readFile(join(directory, 'cursor.json'), 'utf8')) as object;
    expect(cursor).to.have.keys('segment', 'offset');
  });
});
