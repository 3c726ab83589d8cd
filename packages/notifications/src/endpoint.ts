import type { NotificationEvent } from './envelope.js';

/**
 * One of `notifications.endpoints`, keyed as distribution reads it; `@lading/config`'s
 * `NotificationEndpointConfig` fits as is. Durations are milliseconds.
 */
export interface NotificationEndpoint {
  /** Keys the endpoint's spool directory, metrics and logs: keep it stable across restarts. */
  readonly name: string;
  readonly url: string;
  readonly disabled?: boolean;
  /** Static headers, name → values. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  /** Per request; default 1 s. */
  readonly timeout?: number;
  /** Consecutive failures before the breaker backs off; default 10. */
  readonly threshold?: number;
  /** Wait after the last failure once tripped; default 1 s. */
  readonly backoff?: number;
  /** Legacy list of target media types to drop. */
  readonly ignoredmediatypes?: readonly string[];
  readonly ignore?: {
    readonly mediatypes?: readonly string[];
    readonly actions?: readonly string[];
  };
}

export const endpointDefaults = { timeout: 1000, threshold: 10, backoff: 1000 } as const;

/**
 * Whether the endpoint wants the event: distribution's `ignoredmediatypes`, merged with
 * `ignore.mediatypes`, and `ignore.actions` drop an event matching either (OR).
 */
export function endpointWants(endpoint: NotificationEndpoint, event: NotificationEvent): boolean {
  const mediaType = event.target.mediaType;
  if (mediaType !== undefined) {
    const ignored = [...(endpoint.ignoredmediatypes ?? []), ...(endpoint.ignore?.mediatypes ?? [])];
    if (ignored.includes(mediaType)) return false;
  }
  return !(endpoint.ignore?.actions ?? []).includes(event.action);
}
