import { randomUUID } from 'node:crypto';
import { debuglog } from 'node:util';

const debug = debuglog('lading:registry-engine');

export type RegistryAction = 'push' | 'pull' | 'mount' | 'delete';

/** What an event is about. */
export interface EventTarget {
  readonly kind: 'blob' | 'manifest' | 'tag';
  readonly repository: string;
  readonly digest?: string;
  readonly mediaType?: string;
  readonly size?: number;
  readonly tag?: string;
  /** For a mount: where the blob came from. */
  readonly fromRepository?: string;
  /** For a manifest: the digests it refers to. */
  readonly references?: readonly string[];
}

/**
 * Who asked, as the caller tells the engine; passed through to events
 * untouched (notifications put it in their `request` and `actor` fields).
 */
export interface RequestContext {
  readonly requestId?: string;
  readonly actor?: string;
  readonly remoteAddress?: string;
  readonly host?: string;
  readonly method?: string;
  readonly userAgent?: string;
}

export interface RegistryEvent {
  readonly id: string;
  readonly timestamp: Date;
  readonly action: RegistryAction;
  readonly target: EventTarget;
  readonly context?: RequestContext;
}

export type RegistryEventListener = (event: RegistryEvent) => void | Promise<void>;

/**
 * Told of each event before the operation that caused it returns, and
 * awaited: for a durable record (a notification spool) that must hold the
 * event before the client hears the operation succeeded.
 */
export type RegistryEventRecorder = (event: RegistryEvent) => Promise<void>;

/**
 * Delivers events to listeners after the current operation has returned
 * (`setImmediate`), so a slow or failing listener never slows or fails a
 * push or a pull. Recorders are awaited first, inside the operation; their
 * failures too are logged and otherwise ignored: a record that cannot be
 * written must not fail the push it records.
 */
export class EventBus {
  readonly #listeners = new Set<RegistryEventListener>();
  readonly #recorders = new Set<RegistryEventRecorder>();

  subscribe(listener: RegistryEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  record(recorder: RegistryEventRecorder): () => void {
    this.#recorders.add(recorder);
    return () => this.#recorders.delete(recorder);
  }

  async emit(action: RegistryAction, target: EventTarget, context?: RequestContext): Promise<void> {
    if (this.#listeners.size === 0 && this.#recorders.size === 0) return;
    const event: RegistryEvent = {
      id: randomUUID(),
      timestamp: new Date(),
      action,
      target,
      ...(context === undefined ? {} : { context }),
    };
    await Promise.all(
      [...this.#recorders].map((recorder) =>
        recorder(event).catch((error: unknown) => {
          debug('event recorder failed for %s %s: %s', action, target.kind, String(error));
        }),
      ),
    );
    for (const listener of this.#listeners) {
      setImmediate(() => {
        Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) => {
            debug('event listener failed for %s %s: %s', action, target.kind, String(error));
          });
      });
    }
  }
}
