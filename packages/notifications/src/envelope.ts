import { randomUUID } from 'node:crypto';

/**
 * The media type of the POST body. distribution 2.x and the GitLab fork send v1, and
 * GitLab Rails' `/api/v4/container_registry_event/events` is written against it; v3's
 * `…events.v2+json` is not yet known to be accepted there (SPEC-NOTES §6.1).
 */
export const EVENTS_MEDIA_TYPE = 'application/vnd.docker.distribution.events.v1+json';

export type NotificationAction = 'push' | 'pull' | 'mount' | 'delete';

/** A content descriptor, as in `target.references`. */
export interface NotificationDescriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size?: number;
}

/** One event of distribution's envelope (`notifications/event.go`), field for field. */
export interface NotificationEvent {
  /** A UUID; stable across redeliveries, so listeners can drop duplicates. */
  readonly id: string;
  /** RFC 3339. */
  readonly timestamp: string;
  readonly action: NotificationAction;
  readonly target: {
    readonly mediaType?: string;
    readonly size?: number;
    readonly digest?: string;
    /** The same as `size`, kept for old listeners. */
    readonly length?: number;
    readonly repository: string;
    /** For a mount: where the blob came from. */
    readonly fromRepository?: string;
    /** `<base>/v2/<repository>/blobs|manifests/<digest>`; absent for tag deletes. */
    readonly url?: string;
    readonly tag?: string;
    readonly references?: readonly NotificationDescriptor[];
  };
  readonly request: {
    readonly id: string;
    readonly addr: string;
    readonly host: string;
    readonly method: string;
    readonly useragent: string;
  };
  readonly actor: { readonly name?: string };
  readonly source: { readonly addr: string; readonly instanceID: string };
}

export interface NotificationEnvelope {
  readonly events: readonly NotificationEvent[];
}

/**
 * What the registry tells the notifier: the shape of `@lading/registry-engine`'s
 * `RegistryEvent`, restated here so this package depends on no engine.
 */
export interface NotificationInput {
  readonly id?: string;
  readonly timestamp?: Date;
  readonly action: NotificationAction;
  readonly target: {
    readonly kind: 'blob' | 'manifest' | 'tag';
    readonly repository: string;
    readonly digest?: string;
    readonly mediaType?: string;
    readonly size?: number;
    readonly tag?: string;
    readonly fromRepository?: string;
    readonly references?: readonly (string | NotificationDescriptor)[];
  };
  readonly context?: {
    readonly requestId?: string;
    readonly actor?: string;
    readonly remoteAddress?: string;
    readonly host?: string;
    readonly method?: string;
    readonly userAgent?: string;
  };
}

export interface EventSource {
  /** `hostname:port` of the registry. */
  readonly addr: string;
  /** Changes on every start. */
  readonly instanceID: string;
}

export interface BuildEventOptions {
  /** The registry's external base URL, e.g. `https://registry.example.com`. */
  readonly baseUrl: string;
  readonly source: EventSource;
  /** Add `target.references` (distribution's `notifications.events.includereferences`). */
  readonly includeReferences?: boolean;
}

/** Builds distribution's event from the registry's, filling `url` as distribution does. */
export function buildEvent(
  input: NotificationInput,
  options: BuildEventOptions,
): NotificationEvent {
  const { target, context = {} } = input;
  const url = targetUrl(options.baseUrl, target);
  const references =
    options.includeReferences === true && target.references !== undefined
      ? target.references.map((reference) =>
          typeof reference === 'string' ? { digest: reference } : reference,
        )
      : undefined;
  return {
    id: input.id ?? randomUUID(),
    timestamp: (input.timestamp ?? new Date()).toISOString(),
    action: input.action,
    target: {
      ...(target.mediaType === undefined ? {} : { mediaType: target.mediaType }),
      ...(target.size === undefined ? {} : { size: target.size, length: target.size }),
      ...(target.digest === undefined ? {} : { digest: target.digest }),
      repository: target.repository,
      ...(target.fromRepository === undefined ? {} : { fromRepository: target.fromRepository }),
      ...(url === undefined ? {} : { url }),
      ...(target.tag === undefined ? {} : { tag: target.tag }),
      ...(references === undefined ? {} : { references }),
    },
    request: {
      id: context.requestId ?? '',
      addr: context.remoteAddress ?? '',
      host: context.host ?? '',
      method: context.method ?? '',
      useragent: context.userAgent ?? '',
    },
    actor: context.actor === undefined ? {} : { name: context.actor },
    source: { addr: options.source.addr, instanceID: options.source.instanceID },
  };
}

function targetUrl(baseUrl: string, target: NotificationInput['target']): string | undefined {
  if (target.digest === undefined || target.kind === 'tag') return undefined;
  const kind = target.kind === 'blob' ? 'blobs' : 'manifests';
  return `${baseUrl.replace(/\/+$/, '')}/v2/${target.repository}/${kind}/${target.digest}`;
}

/** The POST body: distribution indents with three spaces (`json.MarshalIndent`). */
export function encodeEnvelope(events: readonly NotificationEvent[]): string {
  const envelope: NotificationEnvelope = { events };
  return JSON.stringify(envelope, null, 3);
}
