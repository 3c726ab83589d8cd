import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  createNotifier,
  EVENTS_MEDIA_TYPE,
  type NotificationEndpoint,
  type Notifier,
  type NotifierOptions,
} from '../src/index.js';
import { layerType, push, seq } from './support/events.js';
import { freePort, startListener, waitFor, type Listener } from './support/listener.js';
import { writeThenKill } from './support/child.js';

describe('createNotifier', () => {
  let directory: string;
  const cleanup: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-notifier-'));
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await rm(directory, { recursive: true, force: true });
  });

  async function listen(...args: Parameters<typeof startListener>): Promise<Listener> {
    const listener = await startListener(...args);
    cleanup.push(() => listener.close());
    return listener;
  }

  async function notifier(
    endpoints: NotificationEndpoint[],
    options: Partial<NotifierOptions> = {},
  ): Promise<Notifier> {
    const created = await createNotifier({
      directory,
      endpoints,
      source: { addr: 'node-1:5000', instanceID: 'instance-1' },
      baseUrl: 'http://registry.test',
      ...options,
    });
    cleanup.push(() => created.close());
    return created;
  }

  const tags = (listener: Listener) => listener.delivered.map((event) => seq(event.target.tag));
  const range = (count: number) => Array.from({ length: count }, (_, n) => n);

  it('delivers every event complete, in order, one per request, with the endpoint’s headers', async () => {
    const listener = await listen();
    const hook = await notifier([
      { name: 'hook', url: listener.url, headers: { Authorization: ['Bearer s3cret'] } },
    ]);
    const sent = [];
    for (const n of range(20)) sent.push(await hook.notify(push(n)));
    await waitFor(() => hook.snapshot()[0]!.delivered === 20, '20 events');
    expect(listener.delivered).to.deep.equal(sent);
    expect(listener.requests.every((request) => request.headers.authorization === 'Bearer s3cret'))
      .to.be.true;
    expect(listener.requests[0]!.headers['content-type']).to.equal(EVENTS_MEDIA_TYPE);
    expect(listener.delivered[0]!.target.url).to.equal(
      `http://registry.test/v2/group/app/manifests/${sent[0]!.target.digest!}`,
    );
    const [snapshot] = hook.snapshot();
    expect(snapshot).to.deep.include({ name: 'hook', pending: 0, delivered: 20, failed: 0 });
    expect(snapshot!.lastStatus).to.equal(200);
  });

  it('batches up to maxBatch events per request when asked to', async () => {
    const listener = await listen();
    const hook = await notifier([{ name: 'hook', url: listener.url, threshold: 1, backoff: 20 }], {
      maxBatch: 5,
    });
    listener.behave(() => ({ status: 503 }));
    await Promise.all(range(12).map((n) => hook.notify(push(n))));
    await waitFor(() => listener.requests.length > 0, 'a first attempt');
    listener.behave(() => ({ status: 202 }));
    await waitFor(() => listener.delivered.length === 12, '12 events');
    expect(tags(listener)).to.deep.equal(range(12));
    const batches = listener.requests.filter((request) => request.status === 202);
    expect(
      batches.map((request) => (JSON.parse(request.body) as { events: [] }).events.length),
    ).to.deep.equal([5, 5, 2]);
  });

  it('retries through 500s, backing off after threshold failures, then recovers in order', async () => {
    const listener = await listen((attempt) => ({ status: attempt < 6 ? 500 : 200 }));
    const hook = await notifier([{ name: 'hook', url: listener.url, threshold: 3, backoff: 60 }]);
    await hook.notify(push(0));
    await hook.notify(push(1));
    await waitFor(() => hook.snapshot()[0]!.delivered === 2, 'recovery', 3000);
    expect(tags(listener)).to.deep.equal([0, 1]);
    const [snapshot] = hook.snapshot();
    expect(snapshot).to.deep.include({ failed: 6, delivered: 2, consecutiveFailures: 0 });
    expect(snapshot!.lastError).to.equal('HTTP 500 Internal Server Error');
    // Attempts 1–3 go at once; from the threshold on, each waits for the backoff.
    expect(listener.requests).to.have.length(8);
  });

  it('holds attempts back by the backoff once tripped', async () => {
    const times: number[] = [];
    const listener = await listen(() => {
      times.push(Date.now());
      return { status: times.length <= 5 ? 500 : 200 };
    });
    const hook = await notifier([{ name: 'hook', url: listener.url, threshold: 2, backoff: 80 }]);
    await hook.notify(push(0));
    await waitFor(() => listener.delivered.length === 1, 'delivery', 3000);
    const gaps = times.slice(1).map((time, index) => time - times[index]!);
    // Before the threshold the retry is immediate; after it, each waits ~backoff.
    expect(gaps[0]).to.be.below(60);
    for (const gap of gaps.slice(2)) expect(gap).to.be.at.least(70);
  });

  it('treats a response slower than timeout as a failure and sends the event again', async () => {
    const listener = await listen((attempt) => ({ status: 200, delayMs: attempt === 0 ? 500 : 0 }));
    const hook = await notifier([
      { name: 'hook', url: listener.url, timeout: 100, threshold: 1, backoff: 20 },
    ]);
    const event = await hook.notify(push(0));
    await waitFor(() => hook.snapshot()[0]!.delivered === 1, 'the retry', 3000);
    expect(hook.snapshot()[0]!.lastError).to.equal('timed out after 100 ms');
    expect(hook.snapshot()[0]!.failed).to.equal(1);
    await waitFor(() => listener.delivered.length === 2, 'the slow answer to land too');
    // At-least-once: the listener saw it twice, with one id to drop the duplicate by.
    expect(listener.delivered.map((received) => received.id)).to.deep.equal([event.id, event.id]);
  });

  it('retries a refused connection until a listener appears on that port', async () => {
    const port = await freePort();
    const hook = await notifier([
      { name: 'hook', url: `http://127.0.0.1:${port}/events`, threshold: 2, backoff: 30 },
    ]);
    for (const n of range(5)) await hook.notify(push(n));
    await waitFor(() => hook.snapshot()[0]!.failed >= 3, 'failed attempts');
    expect(hook.snapshot()[0]!.lastError).to.contain('ECONNREFUSED');
    expect(hook.snapshot()[0]!.pending).to.equal(5);
    const listener = await listen(undefined, port);
    await waitFor(() => listener.delivered.length === 5, 'delivery after the listener appears');
    expect(tags(listener)).to.deep.equal(range(5));
  });

  it('keeps one endpoint flowing while another is down', async () => {
    const down = await listen(() => ({ status: 500 }));
    const up = await listen();
    const hooks = await notifier([
      { name: 'down', url: down.url, threshold: 1, backoff: 10_000 },
      { name: 'up', url: up.url },
    ]);
    for (const n of range(10)) await hooks.notify(push(n));
    await waitFor(() => hooks.snapshot()[1]!.delivered === 10, 'the healthy endpoint');
    expect(tags(up)).to.deep.equal(range(10));
    const [downState, upState] = hooks.snapshot();
    expect(downState).to.deep.include({ name: 'down', pending: 10, delivered: 0 });
    expect(upState).to.deep.include({ name: 'up', pending: 0, delivered: 10 });
  });

  it('spools only what an endpoint does not ignore, and skips disabled endpoints', async () => {
    const listener = await listen();
    const hooks = await notifier([
      { name: 'off', url: listener.url, disabled: true },
      {
        name: 'manifests',
        url: listener.url,
        ignoredmediatypes: [layerType],
        ignore: { actions: ['pull'] },
      },
    ]);
    await hooks.notify(push(0, layerType));
    await hooks.notify({ ...push(1), action: 'pull' });
    await hooks.notify(push(2));
    await waitFor(() => listener.delivered.length === 1, 'the one wanted event');
    expect(tags(listener)).to.deep.equal([2]);
    expect(hooks.snapshot().map((snapshot) => snapshot.name)).to.deep.equal(['manifests']);
  });

  it('leaves undelivered events spooled on close, for the next notifier to deliver', async () => {
    const port = await freePort();
    const first = await createNotifier({
      directory,
      endpoints: [{ name: 'hook', url: `http://127.0.0.1:${port}/`, threshold: 1, backoff: 20 }],
      source: { addr: 'node-1:5000' },
      baseUrl: 'http://registry.test',
    });
    for (const n of range(3)) await first.notify(push(n));
    await first.close();
    await first.close();
    let error: unknown;
    await first.notify(push(3)).catch((caught: unknown) => (error = caught));
    expect(String(error)).to.contain('closed');
    const listener = await listen();
    const second = await notifier([{ name: 'hook', url: listener.url }]);
    expect(second.snapshot()[0]!.pending).to.be.at.most(3);
    await waitFor(() => listener.delivered.length === 3, 'the spooled events');
    expect(tags(listener)).to.deep.equal([0, 1, 2]);
  });

  it('drops the newest events of a full spool, counts and logs them, and never blocks', async () => {
    const logged: string[] = [];
    const port = await freePort();
    const hook = await notifier(
      [{ name: 'hook', url: `http://127.0.0.1:${port}/`, threshold: 1, backoff: 10_000 }],
      { maxSpoolBytes: 4096, logger: (level, message) => logged.push(`${level}: ${message}`) },
    );
    for (const n of range(20)) await hook.notify(push(n));
    const [snapshot] = hook.snapshot();
    expect(snapshot!.droppedFull).to.be.greaterThan(0);
    expect(snapshot!.pending + snapshot!.droppedFull).to.equal(20);
    expect(logged).to.include('error: spool full: dropping the newest events');
  });

  it('delivers, in order, every event spooled before the registry was killed with SIGKILL', async function () {
    this.timeout(20000);
    const port = await freePort();
    // The child's endpoint is down (nothing listens), so everything stays spooled.
    const reported = await writeThenKill(
      ['notifier', directory, `http://127.0.0.1:${port}/events`],
      200,
    );
    const listener = await listen();
    await notifier([{ name: 'hook', url: listener.url }]);
    await waitFor(
      () => listener.delivered.length >= Math.max(...reported) + 1,
      'every reported event',
      10_000,
    );
    const received = tags(listener);
    expect(received).to.deep.equal(range(received.length));
    expect(new Set(listener.delivered.map((event) => event.id)).size).to.equal(received.length);
  });
});
