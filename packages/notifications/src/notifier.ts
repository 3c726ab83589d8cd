import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { EndpointDispatcher, type EndpointSnapshot } from './dispatcher.js';
import { endpointWants, type NotificationEndpoint } from './endpoint.js';
import { buildEvent, type NotificationEvent, type NotificationInput } from './envelope.js';
import type { NotificationLogger } from './logger.js';
import { Spool } from './spool.js';

export interface NotifierOptions {
  /** Local directory for the spools, one subdirectory per endpoint name. */
  readonly directory: string;
  readonly endpoints: readonly NotificationEndpoint[];
  /** `source.addr` of every event; `instanceID` defaults to a new UUID. */
  readonly source: { readonly addr: string; readonly instanceID?: string };
  /** The registry's external base URL, for `target.url`. */
  readonly baseUrl: string;
  readonly includeReferences?: boolean;
  /** Per endpoint spool bound (see `SpoolOptions.maxBytes`); default 256 MiB. */
  readonly maxSpoolBytes?: number;
  /** Spool segment size; default 1 MiB. */
  readonly segmentBytes?: number;
  /** Events per POST; default 1, as distribution. */
  readonly maxBatch?: number;
  readonly logger?: NotificationLogger;
}

export interface Notifier {
  readonly instanceID: string;
  /**
   * Builds the event and spools it for every enabled endpoint that does not ignore it;
   * resolves once it is on disk for each of them (or refused by a full spool, which is
   * counted and logged). Delivery happens in the background.
   */
  notify(input: NotificationInput): Promise<NotificationEvent>;
  snapshot(): EndpointSnapshot[];
  /** Stops delivery and closes the spools; undelivered events stay for the next start. */
  close(): Promise<void>;
}

interface Channel {
  readonly endpoint: NotificationEndpoint;
  readonly spool: Spool;
  readonly dispatcher: EndpointDispatcher;
}

/** Opens a spool and starts a dispatcher for each enabled endpoint. */
export async function createNotifier(options: NotifierOptions): Promise<Notifier> {
  const instanceID = options.source.instanceID ?? randomUUID();
  const source = { addr: options.source.addr, instanceID };
  const channels: Channel[] = [];
  try {
    for (const endpoint of options.endpoints.filter((candidate) => candidate.disabled !== true)) {
      const spool = await Spool.open({
        directory: join(options.directory, spoolDirectoryName(endpoint.name)),
        name: endpoint.name,
        ...(options.maxSpoolBytes === undefined ? {} : { maxBytes: options.maxSpoolBytes }),
        ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
      const dispatcher = new EndpointDispatcher(endpoint, spool, {
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
      });
      channels.push({ endpoint, spool, dispatcher });
    }
  } catch (error) {
    await closeChannels(channels);
    throw error;
  }
  let closed = false;
  return {
    instanceID,
    async notify(input) {
      if (closed) throw new Error('the notifier is closed');
      const event = buildEvent(input, {
        baseUrl: options.baseUrl,
        source,
        ...(options.includeReferences === undefined
          ? {}
          : { includeReferences: options.includeReferences }),
      });
      const payload = Buffer.from(JSON.stringify(event));
      await Promise.all(
        channels
          .filter((channel) => endpointWants(channel.endpoint, event))
          .map((channel) => channel.spool.append([payload])),
      );
      return event;
    },
    snapshot: () => channels.map((channel) => channel.dispatcher.snapshot()),
    async close() {
      if (closed) return;
      closed = true;
      await closeChannels(channels);
    },
  };
}

async function closeChannels(channels: readonly Channel[]): Promise<void> {
  await Promise.all(channels.map((channel) => channel.dispatcher.close()));
  await Promise.all(channels.map((channel) => channel.spool.close()));
}

/**
 * A directory name that is safe on any filesystem and stable for a name (the spool must be
 * found again after a restart): the name's safe characters and a hash that keeps
 * `a/b` and `a_b` apart.
 */
export function spoolDirectoryName(endpointName: string): string {
  const readable = endpointName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  const hash = createHash('sha256').update(endpointName).digest('hex').slice(0, 12);
  return `${readable}-${hash}`;
}
