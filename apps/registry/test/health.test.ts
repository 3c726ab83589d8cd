import type { AddressInfo } from 'node:net';
import { StorageDriverError, type StorageDriver } from '@lading/storage-driver';
import { createInMemoryDriver } from '@lading/storage-driver-inmemory';
import { expect } from 'chai';
import { Router } from 'express';
import { pino } from 'pino';
import { StorageHealth } from '../src/health.js';
import { createHttpApp } from '../src/http-app.js';
import { RegistryMetrics } from '../src/metrics.js';

function flakyDriver(): StorageDriver & { failing: boolean } {
  const inner = createInMemoryDriver();
  const state = { failing: false };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'failing') return state.failing;
      if (property === 'stat' && state.failing)
        return () =>
          Promise.reject(new StorageDriverError('bucket unreachable', { driverName: 'inmemory' }));
      return Reflect.get(target, property, receiver) as unknown;
    },
    set(_target, property, value) {
      if (property !== 'failing') return false;
      state.failing = value === true;
      return true;
    },
  }) as StorageDriver & { failing: boolean };
}

describe('the storage health check', () => {
  it('turns the registry unhealthy after threshold failures, answering 503, and healthy again', async () => {
    const driver = flakyDriver();
    const logger = pino({ level: 'silent' });
    const health = new StorageHealth(
      driver,
      { enabled: true, interval: 60_000, threshold: 2 },
      logger,
    );
    const app = createHttpApp({
      routes: [],
      router: Router(),
      logger,
      metrics: new RegistryMetrics(),
      health,
      prefix: '/',
      headers: {},
      accessLog: false,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    try {
      await health.check();
      expect(health.healthy).to.equal(true);
      driver.failing = true;
      await health.check();
      expect(health.healthy, 'one failure is below the threshold').to.equal(true);
      await health.check();
      expect(health.healthy).to.equal(false);
      expect(health.report()).to.deep.equal({
        storagedriver_inmemory: 'inmemory: bucket unreachable',
      });
      const api = await fetch(`${url}/v2/`);
      expect(api.status).to.equal(503);
      expect(((await api.json()) as { errors: { code: string }[] }).errors[0]?.code).to.equal(
        'UNAVAILABLE',
      );
      expect((await fetch(`${url}/debug/health`)).status).to.equal(503);
      driver.failing = false;
      await health.check();
      expect(health.healthy).to.equal(true);
      expect((await fetch(`${url}/debug/health`)).status).to.equal(200);
    } finally {
      server.close();
    }
  });

  it('is always healthy when disabled', () => {
    const health = new StorageHealth(
      createInMemoryDriver(),
      { enabled: false, interval: 1000, threshold: 1 },
      pino({ level: 'silent' }),
    );
    health.start();
    expect(health.healthy).to.equal(true);
    expect(health.report()).to.deep.equal({});
    health.stop();
  });
});
