import type { RegistryConfig } from '@lading/config';
import { createRegistryRouter } from '@lading/registry-api';
import {
  createInMemoryBlobDescriptorCache,
  createRegistryEngine,
  type RegistryEngine,
} from '@lading/registry-engine';
import type { StorageDriver } from '@lading/storage-driver';
import { allowAll, type AccessController } from '@lading/token-auth';
import type { Notifier } from '@lading/notifications';
import type { ProjectsModel } from '@lading/projects';
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import { createHtpasswdController } from './auth/htpasswd.js';
import { createSillyController } from './auth/silly.js';
import { StorageHealth } from './health.js';
import { createHttpApp } from './http-app.js';
import { RegistryMetrics } from './metrics.js';
import { uploadSecret } from './secret.js';
import { storageDrivers } from './storage.js';
import { registerNotificationMetrics, startNotifications } from './notifications.js';
import { tokenAccessController, tokenRouter } from './token-service.js';

/** Everything a running registry is made of, built from its config. */
export interface Registry {
  readonly app: Express;
  readonly engine: RegistryEngine;
  readonly driver: StorageDriver;
  readonly metrics: RegistryMetrics;
  readonly health: StorageHealth;
  /** The forge model, when `lading.projects` is configured. */
  readonly projects?: ProjectsModel;
  /** Webhook notifications, when an endpoint is enabled. */
  readonly notifier?: Notifier;
  /** Releases what composing opened (the projects database). */
  close(): Promise<void>;
}

export interface ComposeOptions {
  readonly logger: Logger;
  /** Where to keep a generated upload secret across restarts (the embedded default). */
  readonly secretFile?: string;
}

/** The composition root: config → driver → engine → access control → router → app. */
export async function composeRegistry(
  config: RegistryConfig,
  options: ComposeOptions,
): Promise<Registry> {
  const { logger } = options;
  const metrics = new RegistryMetrics();
  const { driver: driverConfig } = config.storage;
  const driver = await storageDrivers({ onOperation: metrics.recordStorage }).create(
    driverConfig.name,
    driverConfig.parameters,
  );
  if (config.storage.cache.blobdescriptor === 'redis') {
    logger.warn(
      'storage.cache.blobdescriptor: redis is not supported yet; using the in-memory cache',
    );
  }
  const engine = createRegistryEngine({
    driver,
    deleteEnabled: config.storage.delete.enabled,
    schema1Enabled: config.compatibility.schema1.enabled,
    foreignLayers: config.validation.enabled ? config.validation.manifests.urls : {},
    blobDescriptorCache: createInMemoryBlobDescriptorCache(
      config.storage.cache.blobdescriptorsize ?? 10_000,
    ),
  });
  const notifier = await startNotifications(config, engine, logger);
  if (notifier !== undefined) registerNotificationMetrics(metrics.registry, notifier);
  const { secret, generated } = await uploadSecret(config.http.secret, options.secretFile);
  if (generated) {
    logger.warn(
      'http.secret is not set: upload URLs are signed with a random secret, so uploads do not survive a restart or move between replicas',
    );
  }
  const router = createRegistryRouter(engine, {
    secret,
    ...(config.http.host === undefined ? {} : { host: config.http.host }),
    relativeUrls: config.http.relativeurls,
    accessController: await accessController(config),
    readOnly: config.storage.maintenance.readonly.enabled,
    redirect: !config.storage.redirect.disable,
    catalogMaxEntries: config.catalog.maxentries,
    maxTags: config.tags.maxtags,
    onServerError: (error, response) => {
      logger.error(
        { err: error, requestId: response.locals.requestId as unknown },
        'request failed',
      );
    },
  });
  const health = new StorageHealth(driver, config.health.storagedriver, logger);
  // Imported only when configured: the package and its database layer weigh 10 MiB.
  const projects =
    config.lading.projects === undefined
      ? undefined
      : await (await import('./projects.js')).openProjects(config.lading.projects);
  const app = createHttpApp({
    router,
    routes: await serviceRoutes(config, engine, projects, logger),
    logger,
    metrics,
    health,
    prefix: config.http.prefix,
    headers: config.http.headers,
    accessLog: !config.log.accesslog.disabled,
  });
  return {
    app,
    engine,
    driver,
    metrics,
    health,
    ...(projects === undefined ? {} : { projects }),
    ...(notifier === undefined ? {} : { notifier }),
    close: async () => {
      await notifier?.close();
      await projects?.close();
    },
  };
}

/** The token endpoint and the projects API, where configured, beside the registry. */
async function serviceRoutes(
  config: RegistryConfig,
  engine: RegistryEngine,
  projects: ProjectsModel | undefined,
  logger: Logger,
): Promise<{ path: string; router: Router }[]> {
  const routes: { path: string; router: Router }[] = [];
  const { tokenservice } = config.lading;
  const wiring =
    projects === undefined
      ? undefined
      : {
          model: projects,
          library: await import('@lading/projects'),
          adapters: await import('./projects.js'),
        };
  const authorizer = wiring?.library.createProjectsAuthorizer(wiring.model);
  if (tokenservice !== undefined) {
    routes.push({ path: tokenservice.path, router: await tokenRouter(tokenservice, authorizer) });
  }
  if (wiring !== undefined && config.lading.projects !== undefined) {
    const registryHost =
      config.http.host === undefined ? undefined : new URL(config.http.host).host;
    routes.push({
      path: config.lading.projects.apipath,
      router: wiring.library.createProjectsApi({
        model: wiring.model,
        repositories: wiring.adapters.engineRepositories(engine, config.storage.delete.enabled),
        ...(registryHost === undefined ? {} : { registryHost }),
        onServerError: (error) => {
          logger.error({ err: error }, 'projects API request failed');
        },
      }),
    });
  }
  return routes;
}

async function accessController(config: RegistryConfig): Promise<AccessController> {
  const { auth } = config;
  switch (auth.kind) {
    case 'none':
      return allowAll;
    case 'silly':
      return createSillyController(auth.realm, auth.service);
    case 'htpasswd':
      return createHtpasswdController(auth.realm, auth.path);
    case 'token':
      return tokenAccessController(auth);
  }
}
