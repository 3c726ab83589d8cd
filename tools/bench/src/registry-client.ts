import { createHash } from 'node:crypto';
import type { Agent } from 'node:http';
import type { Checker } from './correctness.js';
import type { DownloadResult } from './download-client.js';
import { send, type HttpResponse } from './http-client.js';
import { nextLink } from './link-header.js';
import type { Payload } from './payload.js';

/** A registry as the workloads talk to it: its base URL, a keep-alive agent, a checker. */
export interface RegistryClient {
  /** http://127.0.0.1:PORT */
  url: string;
  agent: Agent;
  check: Checker;
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function short(digest: string): string {
  return `${digest.slice(0, 19)}…`;
}

/** `location` with `digest=` added to its query, leaving the server's own state untouched. */
export function withDigest(location: string, digest: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`;
}

/** POST /v2/<repo>/blobs/uploads/ → 202 and the upload's absolute Location. */
export async function startUpload(client: RegistryClient, repository: string): Promise<string> {
  const what = `POST /v2/${repository}/blobs/uploads/`;
  const response = await send({
    method: 'POST',
    url: `${client.url}/v2/${repository}/blobs/uploads/`,
    agent: client.agent,
  });
  client.check.status(response, 202, what);
  return new URL(client.check.header(response, 'Location', what), client.url).toString();
}

/** Checks a 201 for a completed blob upload: Location and Docker-Content-Digest. */
function checkBlobCreated(
  client: RegistryClient,
  response: HttpResponse,
  digest: string,
  what: string,
): void {
  client.check.status(response, 201, what);
  client.check.header(response, 'Location', what);
  client.check.headerEquals(response, 'Docker-Content-Digest', digest, what);
}

/** POST, then one PUT ?digest= with the whole body → 201. */
export async function pushBlobMonolithic(
  client: RegistryClient,
  repository: string,
  content: Buffer,
  digest: string,
): Promise<void> {
  const location = await startUpload(client, repository);
  const response = await send({
    method: 'PUT',
    url: withDigest(location, digest),
    agent: client.agent,
    headers: { 'content-type': 'application/octet-stream' },
    body: content,
  });
  checkBlobCreated(client, response, digest, `PUT ${repository} upload ?digest=${short(digest)}`);
}

/**
 * POST, then a PATCH per `chunkSize` bytes (Content-Range start-end, each 202 with Range
 * 0-end), then PUT ?digest= with no body → 201. Pieces are generated as they are sent.
 */
export async function pushBlobChunked(
  client: RegistryClient,
  repository: string,
  content: Payload,
  chunkSize: number,
): Promise<void> {
  let location = await startUpload(client, repository);
  for (let start = 0; start < content.size; start += chunkSize) {
    const end = Math.min(content.size, start + chunkSize);
    const what = `PATCH ${repository} upload bytes ${start}-${end - 1}`;
    const response = await send({
      method: 'PATCH',
      url: location,
      agent: client.agent,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${start}-${end - 1}`,
      },
      body: content.generate(start, end),
    });
    client.check.status(response, 202, what);
    client.check.headerEquals(response, 'Range', `0-${end - 1}`, what);
    location = new URL(client.check.header(response, 'Location', what), client.url).toString();
  }
  const digest = content.digest();
  const response = await send({
    method: 'PUT',
    url: withDigest(location, digest),
    agent: client.agent,
  });
  checkBlobCreated(client, response, digest, `PUT ${repository} upload ?digest=${short(digest)}`);
}

/** HEAD the blob: 200 with its length and digest. */
export async function checkBlobHead(
  client: RegistryClient,
  repository: string,
  digest: string,
  size: number,
): Promise<void> {
  const what = `HEAD /v2/${repository}/blobs/${short(digest)}`;
  const response = await send({
    method: 'HEAD',
    url: `${client.url}/v2/${repository}/blobs/${digest}`,
    agent: client.agent,
  });
  client.check.status(response, 200, what);
  client.check.headerEquals(response, 'Content-Length', String(size), what);
  client.check.headerEquals(response, 'Docker-Content-Digest', digest, what);
}

/** GET the blob and compare every byte with `content` as it arrives. */
export async function checkBlobGet(
  client: RegistryClient,
  repository: string,
  content: Payload,
): Promise<void> {
  const digest = content.digest();
  const what = `GET /v2/${repository}/blobs/${short(digest)}`;
  const verifier = content.verifier();
  let difference: string | undefined;
  const response = await send({
    method: 'GET',
    url: `${client.url}/v2/${repository}/blobs/${digest}`,
    agent: client.agent,
    onBody: (piece) => {
      difference ??= verifier.update(piece);
    },
  });
  client.check.status(response, 200, what);
  client.check.headerEquals(response, 'Content-Length', String(content.size), what);
  client.check.headerEquals(response, 'Docker-Content-Digest', digest, what);
  difference ??= verifier.finish();
  if (difference !== undefined) client.check.fail(`${what}: the body differs: ${difference}`);
}

/** Checks what the download process got for a GET of `content`: 200, headers, every byte. */
export function checkDownload(
  client: RegistryClient,
  repository: string,
  content: Payload,
  result: DownloadResult,
): void {
  const digest = content.digest();
  const what = `GET /v2/${repository}/blobs/${short(digest)}`;
  if (result.error !== null) client.check.fail(`${what} failed: ${result.error}`);
  const response = { status: result.status, headers: result.headers, body: Buffer.alloc(0) };
  client.check.status(response, 200, what);
  client.check.headerEquals(response, 'Content-Length', String(content.size), what);
  client.check.headerEquals(response, 'Docker-Content-Digest', digest, what);
  if (result.difference !== null) {
    client.check.fail(`${what}: the body differs: ${result.difference}`);
  }
}

/** The URL of a blob, for the download process. */
export function blobUrl(client: RegistryClient, repository: string, digest: string): string {
  return `${client.url}/v2/${repository}/blobs/${digest}`;
}

/** PUT a manifest by tag or digest → 201 with its digest. */
export async function putManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  manifest: Buffer,
  mediaType: string,
): Promise<void> {
  const what = `PUT /v2/${repository}/manifests/${reference}`;
  const response = await send({
    method: 'PUT',
    url: `${client.url}/v2/${repository}/manifests/${reference}`,
    agent: client.agent,
    headers: { 'content-type': mediaType },
    body: manifest,
  });
  client.check.status(response, 201, what);
  client.check.header(response, 'Location', what);
  client.check.headerEquals(response, 'Docker-Content-Digest', sha256(manifest), what);
}

export const manifestAccept = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** GET a manifest: 200, its media type, its digest, and exactly the bytes pushed. */
export async function checkManifestGet(
  client: RegistryClient,
  repository: string,
  reference: string,
  manifest: Buffer,
  mediaType: string,
): Promise<void> {
  const what = `GET /v2/${repository}/manifests/${reference}`;
  const response = await send({
    method: 'GET',
    url: `${client.url}/v2/${repository}/manifests/${reference}`,
    agent: client.agent,
    headers: { accept: manifestAccept },
  });
  client.check.status(response, 200, what);
  client.check.headerEquals(response, 'Content-Type', mediaType, what);
  client.check.headerEquals(response, 'Docker-Content-Digest', sha256(manifest), what);
  if (!response.body.equals(manifest)) {
    client.check.fail(
      `${what}: the body (${response.body.length} bytes, ${sha256(response.body)}) is not the manifest pushed (${manifest.length} bytes, ${sha256(manifest)})`,
    );
  }
}

/** One page of a JSON listing (tags/list or _catalog) and the next page's URL. */
export interface ListingPage {
  entries: string[];
  next: string | undefined;
}

/** GET a listing page: 200, JSON with the string array `field`, and its Link. */
export async function getListingPage(
  client: RegistryClient,
  url: string,
  field: 'tags' | 'repositories',
): Promise<ListingPage> {
  const what = `GET ${new URL(url).pathname}${new URL(url).search}`;
  const response = await send({ method: 'GET', url, agent: client.agent });
  client.check.status(response, 200, what);
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body.toString('utf8'));
  } catch {
    client.check.fail(
      `${what}: the body is not JSON: ${response.body.subarray(0, 200).toString()}`,
    );
  }
  const entries = (parsed as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'string')) {
    client.check.fail(
      `${what}: no string array "${field}" in ${response.body.subarray(0, 200).toString()}`,
    );
  }
  return { entries, next: nextLink(response.headers.link, client.url) };
}

/** Follows Link rel="next" from `first` until there is none; every page's entries in order. */
export async function walkListing(
  client: RegistryClient,
  first: string,
  field: 'tags' | 'repositories',
  maxPages: number,
): Promise<{ entries: string[]; pages: number; largestPage: number }> {
  const entries: string[] = [];
  let url: string | undefined = first;
  let pages = 0;
  let largestPage = 0;
  while (url !== undefined) {
    pages += 1;
    if (pages > maxPages) client.check.fail(`walking ${first}: more than ${maxPages} pages`);
    const page = await getListingPage(client, url, field);
    entries.push(...page.entries);
    largestPage = Math.max(largestPage, page.entries.length);
    url = page.next;
  }
  return { entries, pages, largestPage };
}
