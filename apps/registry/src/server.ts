import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { SecureVersion } from 'node:tls';
import type { RegistryConfig } from '@lading/config';
import express from 'express';
import type { Logger } from 'pino';
import { composeRegistry, type Registry } from './compose.js';
import { scheduleUploadPurging } from './purging.js';
import { listenOptions, listeningUrl } from './listen-address.js';

export interface RunningRegistry {
  readonly registry: Registry;
  /** Where clients reach it: `http://127.0.0.1:5000`. */
  readonly url: string;
  readonly debugUrl?: string;
  /** Stops taking requests, lets those in flight finish within `http.draintimeout`, then closes. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger: Logger;
  readonly secretFile?: string;
}

/** Builds the registry from `config` and serves it (and the debug server, if configured). */
export async function startRegistry(
  config: RegistryConfig,
  options: StartOptions,
): Promise<RunningRegistry> {
  const { logger } = options;
  const registry = await composeRegistry(config, options);
  const server = await mainServer(config, registry);
  const url = await listen(
    server,
    config.http.addr,
    config.http.net,
    config.http.tls === undefined ? 'http' : 'https',
  );
  logger.info({ address: url, storage: registry.driver.name }, 'listening');
  const debug = config.http.debug === undefined ? undefined : await debugServer(config, registry);
  const debugUrl =
    debug === undefined || config.http.debug === undefined
      ? undefined
      : await listen(debug, config.http.debug.addr, 'tcp', 'http');
  if (debugUrl !== undefined) logger.info({ address: debugUrl }, 'debug server listening');
  registry.health.start();
  const stopPurging = scheduleUploadPurging(registry.engine, config, logger);
  return {
    registry,
    url,
    ...(debugUrl === undefined ? {} : { debugUrl }),
    close: async () => {
      stopPurging();
      registry.health.stop();
      await Promise.all([
        drain(server, config.http.draintimeout, logger),
        debug === undefined ? undefined : drain(debug, 0, logger),
      ]);
      await registry.close();
      logger.info('stopped');
    },
  };
}

async function mainServer(config: RegistryConfig, registry: Registry): Promise<Server> {
  const { tls } = config.http;
  if (tls === undefined) return createHttpServer(registry.app);
  if (tls.letsencrypt !== undefined) {
    throw new Error(
      'http.tls.letsencrypt: Lading does not obtain certificates itself; give http.tls.certificate and key (from certbot, or a proxy in front)',
    );
  }
  const clientCas = await Promise.all(tls.clientcas.map((path) => readFile(path)));
  return createHttpsServer(
    {
      cert: await readFile(tls.certificate),
      key: await readFile(tls.key),
      minVersion: tlsVersion(tls.minimumtls),
      ...(clientCas.length === 0
        ? {}
        : {
            ca: clientCas,
            requestCert: true,
            rejectUnauthorized: tls.clientauth === 'require-and-verify-client-cert',
          }),
    },
    registry.app,
  );
}

/** The debug server: health and Prometheus metrics, for operators only. */
async function debugServer(config: RegistryConfig, registry: Registry): Promise<Server> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/debug/health', (_request, response) => {
    response.status(registry.health.healthy ? 200 : 503).json(registry.health.report());
  });
  app.get('/debug/notifications', (_request, response) => {
    response.json({ endpoints: registry.notifier?.snapshot() ?? [] });
  });
  const prometheus = config.http.debug?.prometheus;
  if (prometheus?.enabled === true) {
    app.get(prometheus.path, async (_request, response) => {
      response
        .type(registry.metrics.registry.contentType)
        .send(await registry.metrics.registry.metrics());
    });
  }
  await Promise.resolve();
  return createHttpServer(app);
}

function tlsVersion(minimum: string): SecureVersion {
  const versions: Record<string, SecureVersion> = {
    'tls1.0': 'TLSv1',
    'tls1.1': 'TLSv1.1',
    'tls1.2': 'TLSv1.2',
    'tls1.3': 'TLSv1.3',
  };
  return versions[minimum] ?? 'TLSv1.2';
}

/** Listens on `host:port`, `:port` (all interfaces) or a unix socket path; resolves with the URL. */
function listen(server: Server, addr: string, net: string, scheme: string): Promise<string> {
  const options = listenOptions(addr, net);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(
        typeof address === 'string' || address === null
          ? `unix:${addr}`
          : listeningUrl(address, scheme),
      );
    });
  });
}

/** Stops accepting connections; idle ones close now, busy ones get `timeout` ms to finish. */
async function drain(server: Server, timeout: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn({ timeoutMs: timeout }, 'draintimeout passed; closing the connections still open');
    server.closeAllConnections();
  }, timeout);
  await closed;
  clearTimeout(timer);
}
