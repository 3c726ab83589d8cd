import { isDigest, parseManifest } from '@lading/oci';
import {
  ManifestTooLargeError,
  ManifestUnknownError,
  type ManifestContent,
} from '@lading/registry-engine';
import { acceptedMediaTypes, isAcceptable, wantsSingleImage } from './accept.js';
import { requestContext, type Exchange, type HandlerContext } from './handler-context.js';
import { readBody } from './request-body.js';
import { urlFor } from './urls.js';

/** `GET`/`HEAD /v2/<name>/manifests/<reference>`, negotiated on `Accept`. */
export async function getManifest(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  const manifests = context.engine.repository(exchange.name).manifests;
  const accepted = acceptedMediaTypes(request.headers.accept);
  const events = request.method === 'GET' ? requestContext(exchange) : undefined;
  let manifest =
    request.method === 'GET'
      ? await manifests.get(exchange.target, events)
      : await manifests.load(exchange.target);
  if (!isDigest(exchange.target) && wantsSingleImage(manifest.mediaType, accepted)) {
    manifest = await singleImageOf(context, exchange, manifest);
  }
  if (!isAcceptable(manifest.mediaType, accepted)) {
    throw new ManifestUnknownError(
      exchange.name,
      `${exchange.target} (stored as ${manifest.mediaType}, which the client does not accept)`,
    );
  }
  response.setHeader('Content-Type', manifest.mediaType);
  response.setHeader('Content-Length', String(manifest.size));
  response.setHeader('Docker-Content-Digest', manifest.digest);
  response.setHeader('ETag', `"${manifest.digest}"`);
  if (notModified(request.headers['if-none-match'], manifest.digest)) {
    response.status(304).end();
    return;
  }
  response.status(200);
  if (request.method === 'HEAD') response.end();
  else response.end(manifest.content);
}

/**
 * `PUT /v2/<name>/manifests/<reference>`: stores the manifest (at most the
 * configured size, read no further) and answers with where it lives.
 */
export async function putManifest(context: HandlerContext, exchange: Exchange): Promise<void> {
  const { request, response } = exchange;
  const limit = context.settings.maxManifestSize;
  const content = await readBody(request, limit, (size) => new ManifestTooLargeError(size, limit));
  const result = await context.engine
    .repository(exchange.name)
    .manifests.put(exchange.target, content, {
      ...(request.headers['content-type'] === undefined
        ? {}
        : { mediaType: request.headers['content-type'] }),
      context: requestContext(exchange),
    });
  response.status(201);
  response.setHeader(
    'Location',
    urlFor(request, `/v2/${exchange.name}/manifests/${result.digest}`, context.urls),
  );
  response.setHeader('Docker-Content-Digest', result.digest);
  if (result.subject !== undefined) response.setHeader('OCI-Subject', result.subject);
  response.setHeader('Content-Length', '0');
  response.end();
}

/** `DELETE /v2/<name>/manifests/<reference>`: by digest the manifest and its tags, by tag the tag. */
export async function deleteManifest(context: HandlerContext, exchange: Exchange): Promise<void> {
  await context.engine
    .repository(exchange.name)
    .manifests.delete(exchange.target, requestContext(exchange));
  exchange.response.status(202).setHeader('Content-Length', '0');
  exchange.response.end();
}

/** The linux/amd64 image of a manifest list, for a client that cannot read lists. */
async function singleImageOf(
  context: HandlerContext,
  exchange: Exchange,
  list: ManifestContent,
): Promise<ManifestContent> {
  const parsed = parseManifest(list.content);
  const child =
    parsed.kind === 'index'
      ? parsed.manifest.manifests.find(
          (entry) => entry.platform?.os === 'linux' && entry.platform.architecture === 'amd64',
        )
      : undefined;
  if (child === undefined) {
    throw new ManifestUnknownError(
      exchange.name,
      `${exchange.target} (a manifest list without a linux/amd64 image)`,
    );
  }
  return context.engine.repository(exchange.name).manifests.load(child.digest);
}

function notModified(ifNoneMatch: string | undefined, digest: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .some((tag) => tag.trim().replace(/^W\//, '').replace(/"/g, '') === digest);
}
