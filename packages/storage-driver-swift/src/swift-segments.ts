import { mapConcurrently } from '@lading/storage-driver';
import { randomBytes } from 'node:crypto';
import { bodyText } from './swift-client.js';
import { SwiftRequestError } from './swift-errors.js';
import {
  deleteObject,
  getObject,
  headObject,
  objectsUnder,
  type ObjectHead,
} from './swift-objects.js';
import { manifestPath, nameOfManifestPath, objectPath, type SwiftStore } from './swift-store.js';

/** One segment of a Static Large Object, as its manifest lists it. */
export interface Segment {
  /** `/container/name`. */
  readonly path: string;
  readonly etag: string;
  readonly size_bytes: number;
}

/** How many deletes run at once when a directory or a writer's segments go. */
export const deleteConcurrency = 8;

/**
 * A fresh place for one writer's segments: `<segmentRoot>/<3 hex>/<37 hex>`, random as
 * distribution's are, so that no two writers ever share one and a moved file's segments
 * stay where they are.
 */
export function newSegmentsPath(store: SwiftStore): string {
  const id = randomBytes(20).toString('hex');
  return `${store.segmentRoot}/${id.slice(0, 3)}/${id.slice(3)}`;
}

/** Segment `number` (from 1) of a writer: zero-padded, so listings sort them in order. */
export function segmentName(segmentsPath: string, number: number): string {
  return `${segmentsPath}/${String(number).padStart(16, '0')}`;
}

/** Uploads one segment and returns its manifest entry. */
export async function putSegment(store: SwiftStore, name: string, bytes: Buffer): Promise<Segment> {
  const response = await store.client.call({
    method: 'PUT',
    path: objectPath(store, name),
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const etag = String(response.headers.etag ?? '').replace(/"/g, '');
  return { path: manifestPath(store, name), etag, size_bytes: bytes.length };
}

/** Writes the Static Large Object manifest of `segments` at `name`, atomically. */
export async function putManifest(
  store: SwiftStore,
  name: string,
  segments: readonly Segment[],
): Promise<void> {
  await store.client.call({
    method: 'PUT',
    path: objectPath(store, name),
    query: { 'multipart-manifest': 'put' },
    headers: { 'content-type': 'application/octet-stream' },
    body: JSON.stringify(segments),
  });
}

/**
 * The segments behind an object, by what its HEAD said: a Static Large Object's from its
 * manifest, a Dynamic Large Object's (distribution's) by listing its prefix; none for a
 * plain object.
 */
export async function segmentsOf(
  store: SwiftStore,
  name: string,
  head: ObjectHead,
): Promise<Segment[]> {
  if (head.isStaticLargeObject) return staticManifest(store, name);
  if (head.dynamicManifest !== undefined) return dynamicSegments(store, head.dynamicManifest);
  return [];
}

/** A Dynamic Large Object's segments: what lies below its `container/prefix`, in order. */
export async function dynamicSegments(store: SwiftStore, manifest: string): Promise<Segment[]> {
  const [container, ...rest] = manifest.split('/');
  if (container !== store.container) return [];
  const listed = await objectsUnder(store, rest.join('/'));
  return listed.map((segment) => ({
    path: manifestPath(store, segment.name),
    etag: segment.hash ?? '',
    size_bytes: segment.bytes ?? 0,
  }));
}

/** The segments of the file committed at `name` (none when it is plain or absent). */
export async function committedSegments(store: SwiftStore, name: string): Promise<Segment[]> {
  const head = await headObject(store, name);
  return head === undefined ? [] : segmentsOf(store, name, head);
}

/** The segment list of the manifest at `name` (empty when it is gone). */
export async function staticManifest(store: SwiftStore, name: string): Promise<Segment[]> {
  const response = await getObject(store, name, undefined, { 'multipart-manifest': 'get' });
  if (response === undefined) return [];
  const listed = JSON.parse(await bodyText(response.body)) as {
    name: string;
    hash: string;
    bytes: number;
  }[];
  return listed.map((entry) => ({
    path: entry.name,
    etag: entry.hash,
    size_bytes: entry.bytes,
  }));
}

/** Deletes the segments in `segments` that are in this container and not in `keep`. */
export async function deleteSegments(
  store: SwiftStore,
  segments: readonly Segment[],
  keep: readonly Segment[] = [],
): Promise<void> {
  const kept = new Set(keep.map((segment) => segment.path));
  const names = segments
    .filter((segment) => !kept.has(segment.path))
    .flatMap((segment) => nameOfManifestPath(store, segment.path) ?? []);
  await deleteNames(store, names);
}

/** Deletes every object below `segmentsPath` that `keep` does not list. */
export async function deleteSegmentsUnder(
  store: SwiftStore,
  segmentsPath: string,
  keep: readonly Segment[] = [],
): Promise<void> {
  const kept = new Set(keep.map((segment) => segment.path));
  const listed = await objectsUnder(store, `${segmentsPath}/`);
  const names = listed.map((entry) => entry.name);
  await deleteNames(
    store,
    names.filter((name) => !kept.has(manifestPath(store, name))),
  );
}

/** Deletes objects, a few at a time; one already gone is fine. */
export async function deleteNames(store: SwiftStore, names: readonly string[]): Promise<void> {
  await mapConcurrently(names, deleteConcurrency, (name) => deleteObject(store, name));
}

/**
 * Deletes a Static Large Object manifest with its segments, in one call; Swift answers 200
 * with a report, whose errors are turned into a `SwiftRequestError` here.
 */
export async function deleteStaticLargeObject(store: SwiftStore, name: string): Promise<void> {
  const path = objectPath(store, name);
  const { text } = await store.client.text({
    method: 'DELETE',
    path,
    query: { 'multipart-manifest': 'delete' },
    headers: { accept: 'application/json' },
    accept: [404],
  });
  if (text === '') return;
  const report = JSON.parse(text) as { 'Response Status'?: string; Errors?: unknown[] };
  const status = report['Response Status'] ?? '';
  if (!/^(200|404)\b/.test(status) && (report.Errors ?? []).length > 0) {
    throw new SwiftRequestError(
      'DELETE',
      path,
      Number.parseInt(status, 10),
      JSON.stringify(report.Errors),
    );
  }
}

/** Sum of segment sizes. */
export function totalSize(segments: readonly Segment[]): number {
  return segments.reduce((sum, segment) => sum + segment.size_bytes, 0);
}
