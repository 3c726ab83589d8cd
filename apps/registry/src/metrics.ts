import type { StorageOperation } from '@lading/storage-driver';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The registry's Prometheus metrics, on a registry of their own. */
export class RegistryMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'lading_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'lading_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });
  readonly bytesIn = new Counter({
    name: 'lading_http_request_bytes_total',
    help: 'Bytes received in request bodies, by route',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly bytesOut = new Counter({
    name: 'lading_http_response_bytes_total',
    help: 'Bytes sent in response bodies, by route',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly uploadsInFlight = new Gauge({
    name: 'lading_uploads_in_flight',
    help: 'Blob upload requests being received now',
    registers: [this.registry],
  });
  readonly storage = new Histogram({
    name: 'lading_storage_action_seconds',
    help: 'Time of storage driver calls, by driver, method and outcome',
    labelNames: ['driver', 'method', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'lading_' });
  }

  /** For `BaseDriverOptions.onOperation`. */
  readonly recordStorage = (operation: StorageOperation): void => {
    const outcome = operation.error === undefined ? 'ok' : operation.error.code;
    this.storage.observe(
      { driver: operation.driver, method: operation.method, outcome },
      operation.durationMs / 1000,
    );
  };
}
