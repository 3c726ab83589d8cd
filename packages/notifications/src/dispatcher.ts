import { setImmediate as yieldToEvents, setTimeout as sleep } from 'node:timers/promises';
import { debuglog } from 'node:util';
import { endpointDefaults, type NotificationEndpoint } from './endpoint.js';
import { encodeEnvelope, EVENTS_MEDIA_TYPE, type NotificationEvent } from './envelope.js';
import type { NotificationLogger } from './logger.js';
import type { Spool, SpoolRecord } from './spool.js';

const debug = debuglog('lading:notifications');

/** One endpoint's state, for metrics and the debug endpoint. */
export interface EndpointSnapshot {
  readonly name: string;
  readonly url: string;
  /** Events spooled and not yet delivered. */
  readonly pending: number;
  /** Events delivered (2xx/3xx) since start. */
  readonly delivered: number;
  /** Failed attempts (non-2xx/3xx, timeout, transport error) since start; each is retried. */
  readonly failed: number;
  readonly consecutiveFailures: number;
  /** The HTTP status of the last response, if any came. */
  readonly lastStatus: number | undefined;
  /** Why the last failed attempt failed. */
  readonly lastError: string | undefined;
  /** Events refused because the spool was full, since start. */
  readonly droppedFull: number;
}

export interface DispatcherOptions {
  readonly logger?: NotificationLogger;
  /**
   * Events per POST; default 1, as distribution sends one event per envelope (SPEC-NOTES
   * §6.1) and listeners such as GitLab's may read only the first.
   */
  readonly maxBatch?: number;
}

/**
 * Delivers one endpoint's spool, head first, in order: distribution's retrying sink with
 * its breaker strategy (docker/go-events `retry.go`) in front of a single-flight HTTP sink.
 * While there are fewer than `threshold` consecutive failures a failed batch is retried at
 * once; from then on each attempt waits until `backoff` after the last failure; a success
 * resets the count. Nothing is ever dropped: the head batch is retried until delivered or
 * `close()`, and stays in the spool for the next start.
 */
export class EndpointDispatcher {
  readonly #endpoint: NotificationEndpoint;
  readonly #spool: Spool;
  readonly #logger: NotificationLogger | undefined;
  readonly #maxBatch: number;
  readonly #timeout: number;
  readonly #threshold: number;
  readonly #backoff: number;
  readonly #stop = new AbortController();
  readonly #loop: Promise<void>;
  #delivered = 0;
  #failed = 0;
  #consecutiveFailures = 0;
  #lastFailure = 0;
  #lastStatus: number | undefined;
  #lastError: string | undefined;

  constructor(endpoint: NotificationEndpoint, spool: Spool, options: DispatcherOptions = {}) {
    this.#endpoint = endpoint;
    this.#spool = spool;
    this.#logger = options.logger;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 1);
    this.#timeout = endpoint.timeout ?? endpointDefaults.timeout;
    this.#threshold = endpoint.threshold ?? endpointDefaults.threshold;
    this.#backoff = endpoint.backoff ?? endpointDefaults.backoff;
    this.#loop = this.#run();
  }

  snapshot(): EndpointSnapshot {
    return {
      name: this.#endpoint.name,
      url: this.#endpoint.url,
      pending: this.#spool.pending,
      delivered: this.#delivered,
      failed: this.#failed,
      consecutiveFailures: this.#consecutiveFailures,
      lastStatus: this.#lastStatus,
      lastError: this.#lastError,
      droppedFull: this.#spool.droppedFull,
    };
  }

  /** Stops delivering (aborting a request in flight); undelivered events stay spooled. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    const stopped = () => signal.aborted;
    while (!stopped()) {
      try {
        await this.#spool.waitForRecords(signal);
        if (stopped()) break;
        const wait = this.#breakerWait();
        if (wait > 0) await sleep(wait, undefined, { signal });
        const records = await this.#spool.read(this.#maxBatch);
        if (records.length === 0) {
          // Counted but unreadable (a corrupted segment was skipped): do not spin.
          await sleep(this.#backoff, undefined, { signal });
          continue;
        }
        if (await this.#post(records, signal)) {
          await this.#spool.ack(records);
          this.#delivered += records.length;
          this.#consecutiveFailures = 0;
        } else if (!stopped()) {
          await yieldToEvents();
        }
      } catch (error) {
        if (stopped()) break;
        // A spool I/O error: report it and try again later rather than end delivery.
        this.#report('error', 'notification dispatch failed', { error: String(error) });
        await sleep(this.#backoff, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  /** How long the breaker holds the next attempt back. */
  #breakerWait(): number {
    if (this.#consecutiveFailures < this.#threshold) return 0;
    return Math.max(0, this.#lastFailure + this.#backoff - Date.now());
  }

  async #post(records: readonly SpoolRecord[], stop: AbortSignal): Promise<boolean> {
    let events: NotificationEvent[];
    try {
      events = records.map(
        (record) => JSON.parse(record.payload.toString('utf8')) as NotificationEvent,
      );
    } catch (error) {
      // Not ours to deliver, and it would block the endpoint forever.
      this.#report('error', 'dropping an unparseable spool record', { error: String(error) });
      await this.#spool.ack(records);
      return false;
    }
    const headers = new Headers();
    for (const [name, values] of Object.entries(this.#endpoint.headers ?? {})) {
      for (const value of values) headers.append(name, value);
    }
    headers.set('content-type', EVENTS_MEDIA_TYPE);
    // One controller per request, unlinked from the long-lived stop signal afterwards:
    // AbortSignal.any() on a long-lived signal leaks in Node (nodejs/node#55351).
    const request = new AbortController();
    const abort = (event: Event) => {
      request.abort((event.target as AbortSignal).reason);
    };
    const timeout = AbortSignal.timeout(this.#timeout);
    stop.addEventListener('abort', abort, { once: true });
    timeout.addEventListener('abort', abort, { once: true });
    try {
      const response = await fetch(this.#endpoint.url, {
        method: 'POST',
        headers,
        body: encodeEnvelope(events),
        signal: request.signal,
      });
      // distribution judges the status and closes the body unread.
      await response.body?.cancel().catch(() => undefined);
      this.#lastStatus = response.status;
      if (response.status >= 200 && response.status < 400) return true;
      this.#failure(`HTTP ${response.status} ${response.statusText}`.trimEnd());
    } catch (error) {
      if (stop.aborted) return false;
      this.#failure(describe(error, this.#timeout));
    } finally {
      stop.removeEventListener('abort', abort);
      timeout.removeEventListener('abort', abort);
    }
    return false;
  }

  #failure(reason: string): void {
    this.#failed += 1;
    this.#consecutiveFailures += 1;
    this.#lastFailure = Date.now();
    this.#lastError = reason;
    if (this.#consecutiveFailures === this.#threshold) {
      this.#report('warn', 'notification endpoint failing, backing off', {
        failures: this.#consecutiveFailures,
        backoffMs: this.#backoff,
        error: reason,
      });
    } else {
      debug('endpoint %s: attempt failed: %s', this.#endpoint.name, reason);
    }
  }

  #report(level: 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
    const entry = { endpoint: this.#endpoint.name, ...fields };
    debug('%s %j', message, entry);
    this.#logger?.(level, message, entry);
  }
}

function describe(error: unknown, timeout: number): string {
  if ((error as { name?: unknown } | undefined)?.name === 'TimeoutError') {
    return `timed out after ${timeout} ms`;
  }
  // fetch reports "fetch failed" and puts the reason (ECONNREFUSED, …) in `cause`.
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return `${String(error)}: ${cause.code}`;
  return String(error);
}
