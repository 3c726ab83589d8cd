import type { ObjectKeys } from '@lading/storage-driver';
import type { SwiftClient } from './swift-client.js';

/** What the backend, its writers and its segment handling share. */
export interface SwiftStore {
  readonly client: SwiftClient;
  readonly container: string;
  /** Storage paths ↔ object names: `<prefix>/files/<path>`, distribution's layout. */
  readonly keys: ObjectKeys;
  /** Where writers put their segments: `<prefix>/segments`, as distribution does. */
  readonly segmentRoot: string;
  /** Segment size of writers. */
  readonly chunkSize: number;
  /**
   * Entries asked for per listing request: Swift's default cap at first, lowered for good
   * when the cluster answers that its cap is lower.
   */
  readonly listing: { limit: number };
}

/** The request path of the container. */
export function containerPath(store: SwiftStore): string {
  return `/${encodeURIComponent(store.container)}`;
}

/** The request path of an object. */
export function objectPath(store: SwiftStore, name: string): string {
  return `${containerPath(store)}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

/** How an SLO manifest names a segment: `/container/name`, not URL-encoded. */
export function manifestPath(store: SwiftStore, name: string): string {
  return `/${store.container}/${name}`;
}

/** The object name of a manifest path of this container, or undefined for another container. */
export function nameOfManifestPath(store: SwiftStore, path: string): string | undefined {
  const start = `/${store.container}/`;
  return path.startsWith(start) ? path.slice(start.length) : undefined;
}
