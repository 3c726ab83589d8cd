import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startRecordingProxy, type RecordingProxy } from '../src/index.js';

describe('recording proxy', () => {
  let store: Server;
  let proxy: RecordingProxy;

  before(async () => {
    store = createServer((request, response) => {
      let bytes = 0;
      request.on('data', (chunk: Buffer) => (bytes += chunk.length));
      request.on('end', () => {
        response.writeHead(200, { 'x-store': 'yes' });
        response.end(`${String(request.method)} ${String(request.url)} ${String(bytes)}`);
      });
    });
    await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
    proxy = await startRecordingProxy(
      `http://127.0.0.1:${String((store.address() as AddressInfo).port)}`,
    );
  });

  after(async () => {
    await proxy.close();
    await new Promise((resolve) => store.close(resolve));
  });

  it('forwards requests and answers unchanged, recording method, URL, headers and body size', async () => {
    const response = await fetch(`${proxy.endpoint}/bucket/key?x=1`, {
      method: 'PUT',
      headers: { 'x-amz-meta-a': 'b' },
      body: Buffer.alloc(1234),
    });
    expect(await response.text()).to.equal('PUT /bucket/key?x=1 1234');
    expect(response.headers.get('x-store')).to.equal('yes');
    expect(proxy.requests.at(-1)).to.deep.include({
      method: 'PUT',
      url: '/bucket/key?x=1',
      bodyBytes: 1234,
      outcome: 'forwarded',
    });
    expect(proxy.requests.at(-1)?.headers['x-amz-meta-a']).to.equal('b');
  });

  it('fails the next requests with 503 or a reset connection, then forwards again', async () => {
    proxy.failNext(1, '503');
    proxy.failNext(1, 'reset');
    const throttled = await fetch(`${proxy.endpoint}/a`, { method: 'POST', body: 'x' });
    expect(throttled.status).to.equal(503);
    expect(await throttled.text()).to.contain('<Code>SlowDown</Code>');
    const reset = await fetch(`${proxy.endpoint}/b`).catch((error: unknown) => error);
    expect(reset).to.be.instanceOf(Error);
    expect(await (await fetch(`${proxy.endpoint}/c`)).text()).to.equal('GET /c 0');
    expect(proxy.requests.slice(-3).map((request) => request.outcome)).to.deep.equal([
      'failed-503',
      'reset',
      'forwarded',
    ]);
  });

  it('drops queued faults on clearFaults', async () => {
    proxy.failNext(3, '503');
    expect((await fetch(`${proxy.endpoint}/d`)).status).to.equal(503);
    proxy.clearFaults();
    expect(await (await fetch(`${proxy.endpoint}/e`)).text()).to.equal('GET /e 0');
  });

  it('answers the first matching request once, and forwards the rest', async () => {
    proxy.answerOnce((method) => method === 'PUT', { status: 409, body: 'once' });
    expect((await fetch(`${proxy.endpoint}/f`)).status).to.equal(200);
    const first = await fetch(`${proxy.endpoint}/g`, { method: 'PUT', body: 'x' });
    expect([first.status, await first.text()]).to.deep.equal([409, 'once']);
    expect(
      await (await fetch(`${proxy.endpoint}/h`, { method: 'PUT', body: 'x' })).text(),
    ).to.equal('PUT /h 1');
    proxy.intercept(undefined);
  });

  it('answers what an interceptor takes, and forwards the rest', async () => {
    proxy.intercept((method) => (method === 'DELETE' ? { status: 204 } : undefined));
    expect((await fetch(`${proxy.endpoint}/gone`, { method: 'DELETE' })).status).to.equal(204);
    expect(await (await fetch(`${proxy.endpoint}/kept`)).text()).to.equal('GET /kept 0');
    proxy.intercept(undefined);
    expect(proxy.requests.slice(-2).map((request) => request.outcome)).to.deep.equal([
      'answered',
      'forwarded',
    ]);
  });
});
