import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { freeLoopbackPort } from '@lading/registry-peers';
import { startLading, type LadingProcess } from './support/lading-process.js';
import { pushImage } from './support/push-image.js';

interface Received {
  readonly contentType: string | undefined;
  readonly events: {
    id: string;
    action: string;
    target: { repository: string; digest: string; mediaType: string; url: string; tag?: string };
    request: { method: string };
    source: { addr: string; instanceID: string };
  }[];
}

/** A webhook listener on 127.0.0.1:port that records every envelope it is sent. */
async function listener(port = 0): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        contentType: request.headers['content-type'],
        ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Pick<Received, 'events'>),
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return { server, url: `http://127.0.0.1:${bound}/events`, received };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited >= timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface EndpointState {
  name: string;
  pending: number;
  delivered: number;
  failed: number;
}

const events = (received: readonly Received[]) => received.flatMap((body) => body.events);

describe('webhook notifications from the running server', function () {
  this.timeout(120_000);
  let work: string;
  const servers: Server[] = [];
  const processes: LadingProcess[] = [];

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'lading-notify-'));
  });
  afterEach(async () => {
    // SIGTERM, so the children write their coverage; the kill test kills its own.
    for (const lading of processes.splice(0)) await lading.stop();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await rm(work, { recursive: true, force: true });
  });

  const config = (endpoints: { name: string; url: string }[]) => `version: 0.1
storage:
  filesystem:
    rootdirectory: ${work}/data
http:
  addr: 127.0.0.1:0
  debug:
    addr: 127.0.0.1:0
    prometheus:
      enabled: true
notifications:
  endpoints:
${endpoints
  .map(
    (endpoint) => `    - name: ${endpoint.name}
      url: ${endpoint.url}
      timeout: 1s
      threshold: 2
      backoff: 200ms
      headers:
        Authorization: [Bearer listener-secret]`,
  )
  .join('\n')}
lading:
  notifications:
    spooldirectory: ${work}/spool
`;

  it('sends distribution envelopes to each endpoint in order, one dead endpoint delaying nothing', async () => {
    const live = await listener();
    servers.push(live.server);
    const deadPort = await freeLoopbackPort();
    const lading = await startLading({
      config: config([
        { name: 'live', url: live.url },
        { name: 'dead', url: `http://127.0.0.1:${deadPort}/events` },
      ]),
    });
    processes.push(lading);
    const digest = await pushImage(lading.url, 'team/app', 'v1');
    await until(() => events(live.received).length >= 3, 'three push events');
    const [configBlob, layer, manifest] = events(live.received);
    expect(live.received[0]?.contentType).to.match(
      /^application\/vnd\.docker\.distribution\.events\.v1\+json/,
    );
    expect([configBlob?.action, layer?.action, manifest?.action]).to.deep.equal([
      'push',
      'push',
      'push',
    ]);
    expect(manifest?.target).to.include({ repository: 'team/app', digest, tag: 'v1' });
    expect(manifest?.target.url).to.match(/\/v2\/team\/app\/manifests\/sha256:/);
    expect(manifest?.request.method).to.equal('PUT');
    expect(manifest?.source.instanceID).to.be.a('string');

    let byName: Record<string, EndpointState | undefined> = {};
    // The listener has the events before the dispatcher has read its answers; wait for that.
    for (let waited = 0; byName.live?.delivered !== 3 || byName.dead?.failed === 0; waited += 50) {
      if (waited >= 20_000) throw new Error(`deliveries never settled: ${JSON.stringify(byName)}`);
      const debug = (await (
        await fetch(`${String(lading.debugUrl)}/debug/notifications`)
      ).json()) as { endpoints: EndpointState[] };
      byName = Object.fromEntries(debug.endpoints.map((endpoint) => [endpoint.name, endpoint]));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(byName.live).to.include({ pending: 0, delivered: 3 });
    expect(byName.dead?.pending).to.equal(3);
    expect(byName.dead?.failed).to.be.greaterThan(0);
    const metrics = await (await fetch(`${String(lading.debugUrl)}/metrics`)).text();
    expect(metrics).to.match(/lading_notifications_pending\{endpoint="dead"\} 3/);
    expect(metrics).to.match(/lading_notifications_delivered_events\{endpoint="live"\} 3/);
    expect(metrics).to.match(/lading_notifications_last_error\{endpoint="dead",error="[^"]+"\} 1/);
    expect(metrics).to.not.match(/lading_notifications_last_error\{endpoint="live"/);
  });

  it('loses nothing to a SIGKILL while the endpoint is down: the restarted server delivers it all, in order', async () => {
    const port = await freeLoopbackPort();
    const endpoint = [{ name: 'hook', url: `http://127.0.0.1:${port}/events` }];
    const first = await startLading({ config: config(endpoint) });
    processes.push(first);
    const pushed: string[] = [];
    for (const tag of ['a', 'b', 'c', 'd'])
      pushed.push(await pushImage(first.url, 'team/app', tag));
    // Every push was answered, so every event is on disk; the endpoint has had none.
    expect(await first.stop('SIGKILL')).to.equal(null);
    processes.splice(processes.indexOf(first), 1);

    const hook = await listener(port);
    servers.push(hook.server);
    const second = await startLading({ config: config(endpoint) });
    processes.push(second);
    await until(() => events(hook.received).length >= 12, 'the twelve events from before the kill');
    const manifests = events(hook.received).filter((event) =>
      event.target.mediaType.includes('manifest'),
    );
    expect(manifests.map((event) => event.target.tag)).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(manifests.map((event) => event.target.digest)).to.deep.equal(pushed);
    expect(new Set(events(hook.received).map((event) => event.id)).size).to.equal(12);
  });
});
