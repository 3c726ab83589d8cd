import type { Readable } from 'node:stream';
import { headerValue, type SwiftResponse } from './swift-client.js';
import { SwiftRequestError } from './swift-errors.js';
import { containerPath, objectPath, type SwiftStore } from './swift-store.js';

/** What a HEAD tells about an object. */
export interface ObjectHead {
  readonly size: number;
  readonly modTime: Date;
  /** Without quotes; of a large object, its manifest's. */
  readonly etag: string;
  /** A Static Large Object manifest (its segments go with it on delete). */
  readonly isStaticLargeObject: boolean;
  /** A Dynamic Large Object manifest's `container/prefix` (distribution's own writers made these). */
  readonly dynamicManifest?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** One entry of a container listing: an object, or a "subdirectory" with a delimiter. */
export interface ListedEntry {
  readonly name?: string;
  readonly subdir?: string;
  readonly bytes?: number;
  readonly hash?: string;
  readonly last_modified?: string;
  /** Present on Static Large Object manifests. */
  readonly slo_etag?: string;
}

const contentType = 'application/octet-stream';
const metadataPrefix = 'x-object-meta-';

export async function headObject(store: SwiftStore, name: string): Promise<ObjectHead | undefined> {
  const response = await store.client.call({
    method: 'HEAD',
    path: objectPath(store, name),
    accept: [404],
  });
  if (response.status === 404) return undefined;
  const header = (key: string) => headerValue(response.headers, key);
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers)) {
    if (key.startsWith(metadataPrefix) && typeof value === 'string') {
      metadata[key.slice(metadataPrefix.length)] = value;
    }
  }
  const dynamicManifest = header('x-object-manifest');
  return {
    size: Number(header('content-length') ?? '0'),
    modTime: new Date(header('last-modified') ?? 0),
    etag: (header('etag') ?? '').replace(/"/g, ''),
    isStaticLargeObject: header('x-static-large-object')?.toLowerCase() === 'true',
    ...(dynamicManifest === undefined ? {} : { dynamicManifest }),
    metadata,
  };
}

/** GET, with a `Range` when given; undefined for 404; a 416 comes back as the answer. */
export async function getObject(
  store: SwiftStore,
  name: string,
  range?: string,
  query?: Readonly<Record<string, string>>,
): Promise<SwiftResponse | undefined> {
  const response = await store.client.send({
    method: 'GET',
    path: objectPath(store, name),
    ...(range === undefined ? {} : { headers: { range } }),
    ...(query === undefined ? {} : { query }),
    accept: [404, 416],
  });
  if (response.status === 404) {
    response.body.resume();
    return undefined;
  }
  return response;
}

export async function readObject(store: SwiftStore, name: string): Promise<Buffer | undefined> {
  const response = await getObject(store, name);
  return response === undefined ? undefined : readAll(response.body);
}

export async function putObject(
  store: SwiftStore,
  name: string,
  body: Uint8Array,
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [key, value] of Object.entries(metadata)) headers[`${metadataPrefix}${key}`] = value;
  await store.client.call({ method: 'PUT', path: objectPath(store, name), headers, body });
}

/** Deletes one object; false when it was not there. */
export async function deleteObject(store: SwiftStore, name: string): Promise<boolean> {
  const response = await store.client.call({
    method: 'DELETE',
    path: objectPath(store, name),
    accept: [404],
  });
  return response.status !== 404;
}

/**
 * Server-side copy; of a large object's manifest only (`manifestOnly`), so its segments
 * are shared, not copied. False when the source is gone.
 */
export async function copyObject(
  store: SwiftStore,
  source: string,
  destination: string,
  manifestOnly: boolean,
): Promise<boolean> {
  const response = await store.client.call({
    method: 'PUT',
    path: objectPath(store, destination),
    headers: { 'x-copy-from': objectPath(store, source), 'content-length': '0' },
    ...(manifestOnly ? { query: { 'multipart-manifest': 'get' } } : {}),
    accept: [404],
  });
  return response.status !== 404;
}

/**
 * The container listing below `prefix`, a page at a time, in name order; with `delimiter`,
 * names below a further `/` are rolled up into `subdir` entries.
 */
export async function* listPages(
  store: SwiftStore,
  prefix: string,
  delimiter?: '/',
): AsyncGenerator<ListedEntry[]> {
  let marker: string | undefined;
  for (;;) {
    const limit = store.listing.limit;
    const { status, text } = await store.client.text({
      method: 'GET',
      path: containerPath(store),
      query: {
        format: 'json',
        prefix,
        limit: String(limit),
        ...(delimiter === undefined ? {} : { delimiter }),
        ...(marker === undefined ? {} : { marker }),
      },
      accept: [412],
    });
    if (status === 412) {
      lowerListingLimit(store, limit, text);
      continue;
    }
    const page = text === '' ? [] : (JSON.parse(text) as ListedEntry[]);
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    const last = page[page.length - 1];
    marker = last?.name ?? last?.subdir;
  }
}

/** After a 412 "Maximum limit is N": N from now on (a tenth of what was asked, if unsaid). */
function lowerListingLimit(store: SwiftStore, asked: number, answer: string): void {
  const said = Number(/Maximum limit is (\d+)/.exec(answer)?.[1]);
  const lower =
    Number.isSafeInteger(said) && said > 0 && said < asked ? said : Math.floor(asked / 10);
  if (lower < 1) throw new SwiftRequestError('GET', containerPath(store), 412, answer);
  store.listing.limit = Math.min(store.listing.limit, lower);
}

/** Every object below `prefix`, in name order. */
export async function objectsUnder(
  store: SwiftStore,
  prefix: string,
): Promise<(ListedEntry & { name: string })[]> {
  const objects: (ListedEntry & { name: string })[] = [];
  for await (const page of listPages(store, prefix)) {
    for (const entry of page)
      if (entry.name !== undefined) objects.push({ ...entry, name: entry.name });
  }
  return objects;
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
