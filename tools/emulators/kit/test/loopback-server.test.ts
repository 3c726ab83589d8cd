import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { loopbackHost, serveOnLoopback } from '../src/index.js';

describe('serveOnLoopback', () => {
  it('serves on 127.0.0.1 by default, handing the endpoint to the handler it makes', async () => {
    const server = await serveOnLoopback('test emulator', {}, (endpoint) => (_req, res) => {
      res.end(endpoint);
      return Promise.resolve();
    });
    try {
      expect(server.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(server.endpoint)).text()).to.equal(server.endpoint);
    } finally {
      await server.close();
    }
  });

  it('brackets an IPv6 loopback in its endpoint', async () => {
    const server = await serveOnLoopback('test emulator', { host: '::1' }, () => (_req, res) => {
      res.end();
      return Promise.resolve();
    });
    await server.close();
    expect(server.endpoint).to.match(/^http:\/\/\[::1\]:\d+$/);
  });

  it('refuses any address but a loopback one, naming the emulator', async () => {
    expect(() => loopbackHost('OSS emulator', '0.0.0.0')).to.throw(
      'the OSS emulator binds loopback addresses only, not 0.0.0.0',
    );
    expect(loopbackHost('x', '127.0.0.2')).to.equal('127.0.0.2');
    const refused = await serveOnLoopback('GCS emulator', { host: '10.0.0.1' }, () => async () => {
      // never served
    }).catch((error: unknown) => (error as Error).message);
    expect(refused).to.equal('the GCS emulator binds loopback addresses only, not 10.0.0.1');
  });

  it('closes once the requests in flight have finished, cutting their connections', async () => {
    let finished = false;
    const server = await serveOnLoopback('test emulator', {}, () => async (_req, res) => {
      res.write('started');
      await sleep(100);
      finished = true;
      res.end();
    });
    const response = fetch(server.endpoint)
      .then((answer) => answer.text())
      .catch(() => 'cut');
    await sleep(30);
    await server.close();
    expect(finished, 'close waited for the handler').to.equal(true);
    // The connection was cut before the handler finished: the client never got a whole body.
    expect(await response).to.equal('cut');
  });
});
