import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { buildEvent, EndpointDispatcher, Spool } from '../src/index.js';
import { push, seq } from './support/events.js';
import { startListener, waitFor } from './support/listener.js';

describe('EndpointDispatcher', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-dispatcher-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('delivers a spool it is given, skipping (and reporting) a record that is not an event', async () => {
    const listener = await startListener();
    const spool = await Spool.open({ directory });
    const logged: string[] = [];
    const dispatcher = new EndpointDispatcher({ name: 'hook', url: listener.url }, spool, {
      logger: (_level, message) => logged.push(message),
    });
    const options = { baseUrl: 'http://r', source: { addr: 'a', instanceID: 'i' } };
    await spool.append([
      Buffer.from(JSON.stringify(buildEvent(push(0), options))),
      Buffer.from('not json'),
      Buffer.from(JSON.stringify(buildEvent(push(1), options))),
    ]);
    await waitFor(() => dispatcher.snapshot().delivered === 2, 'the two events');
    expect(listener.delivered.map((event) => seq(event.target.tag))).to.deep.equal([0, 1]);
    expect(logged).to.deep.equal(['dropping an unparseable spool record']);
    expect(dispatcher.snapshot()).to.deep.include({ pending: 0, failed: 0 });
    await dispatcher.close();
    await spool.close();
    await listener.close();
  });

  it('refuses a record past the size limit', async () => {
    const spool = await Spool.open({ directory });
    let error: unknown;
    await spool.append([Buffer.alloc(16 * 1024 * 1024 + 1)]).catch((caught: unknown) => {
      error = caught;
    });
    expect(error).to.be.instanceOf(RangeError);
    expect(spool.pending).to.equal(0);
    await spool.close();
  });
});
