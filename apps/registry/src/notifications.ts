import { defaultMaxSpoolBytes, defaultSpoolDirectory, type RegistryConfig } from '@lading/config';
import { createNotifier, type EndpointSnapshot, type Notifier } from '@lading/notifications';
import type { RegistryEngine } from '@lading/registry-engine';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';

/**
 * `notifications.endpoints`, delivered through `@lading/notifications`: every
 * event is spooled on local disk before the request that caused it is
 * answered (the engine awaits its recorders), then sent to each endpoint in
 * order, surviving restarts and crashes. `undefined` when no endpoint is enabled.
 */
export async function startNotifications(
  config: RegistryConfig,
  engine: RegistryEngine,
  logger: Logger,
): Promise<Notifier | undefined> {
  const endpoints = config.notifications.endpoints.filter((endpoint) => !endpoint.disabled);
  if (endpoints.length === 0) return undefined;
  const spool = config.lading.notifications;
  const directory = spool?.spooldirectory ?? defaultSpoolDirectory;
  const notifier = await createNotifier({
    directory,
    endpoints,
    source: { addr: config.http.addr },
    baseUrl:
      config.http.host ??
      `${config.http.tls === undefined ? 'http' : 'https'}://${config.http.addr}`,
    includeReferences: config.notifications.events.includereferences,
    maxSpoolBytes: spool?.maxspoolbytes ?? defaultMaxSpoolBytes,
    logger: (level, message, fields) => {
      logger[level]({ ...fields, component: 'notifications' }, message);
    },
  });
  engine.onEventRecorded(async (event) => {
    try {
      await notifier.notify(event);
    } catch (error) {
      // The push stands (ADR 0010 #6), but this event is lost: say so where operators look.
      logger.error(
        { err: error, event: { id: event.id, action: event.action, target: event.target } },
        'a notification could not be written to the spool and is lost',
      );
    }
  });
  logger.info(
    { directory, endpoints: endpoints.map((endpoint) => endpoint.name) },
    'notifications spooled on local disk',
  );
  return notifier;
}

/** Per-endpoint gauges, read from the notifier's snapshot whenever Prometheus scrapes. */
export function registerNotificationMetrics(registry: Registry, notifier: Notifier): void {
  const gauge = (name: string, help: string, value: (snapshot: EndpointSnapshot) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['endpoint'] as const,
      registers: [registry],
      collect() {
        for (const snapshot of notifier.snapshot()) {
          this.set({ endpoint: snapshot.name }, value(snapshot));
        }
      },
    });
  gauge('lading_notifications_pending', 'Events spooled and not yet delivered', (s) => s.pending);
  gauge(
    'lading_notifications_delivered_events',
    'Events delivered since start',
    (s) => s.delivered,
  );
  gauge(
    'lading_notifications_failed_attempts',
    'Failed delivery attempts since start (each is retried)',
    (s) => s.failed,
  );
  gauge(
    'lading_notifications_dropped_events',
    'Events refused since start because the spool was full',
    (s) => s.droppedFull,
  );
  new Gauge({
    name: 'lading_notifications_last_error',
    help: 'Why the last failed attempt failed (1, labelled with the reason); none after a success',
    labelNames: ['endpoint', 'error'] as const,
    registers: [registry],
    collect() {
      // Only the current reason per endpoint: reset, then set what the snapshot says.
      this.reset();
      for (const snapshot of notifier.snapshot()) {
        if (snapshot.lastError !== undefined && snapshot.consecutiveFailures > 0) {
          this.set({ endpoint: snapshot.name, error: snapshot.lastError }, 1);
        }
      }
    },
  });
  gauge(
    'lading_notifications_last_status',
    'HTTP status of the last delivery attempt (0: none, or no response)',
    (s) => s.lastStatus ?? 0,
  );
}
