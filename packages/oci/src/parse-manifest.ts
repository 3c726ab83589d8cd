import { ManifestInvalidError } from './errors.js';
import {
  Fields,
  isObject,
  readMediaType,
  withoutUndefined,
  type JsonObject,
} from './json-fields.js';
import type { ImageIndex, ImageManifest, ParsedManifest } from './manifest-types.js';
import {
  MediaType,
  essenceOf,
  imageManifestMediaTypes,
  indexMediaTypes,
  isManifestMediaType,
} from './media-types.js';
import { parseSchema1 } from './schema1.js';

/**
 * Parses and validates a manifest's exact bytes. The media type comes from
 * `contentType` (the `Content-Type` of a push) when given, and must then agree
 * with the body's own `mediaType`; otherwise from the body, or from its shape.
 * Throws `ManifestInvalidError` naming the field at fault, and
 * `ManifestUnverifiedError` for a schema 1 manifest whose signatures fail.
 */
export function parseManifest(content: Uint8Array, contentType?: string): ParsedManifest {
  const json = parseJson(content);
  const fields = Fields.of(json, '');
  const mediaType = resolveMediaType(fields, json, contentType);
  if (imageManifestMediaTypes.includes(mediaType)) {
    return { kind: 'image', mediaType, manifest: parseImageManifest(fields, mediaType) };
  }
  if (indexMediaTypes.includes(mediaType)) {
    return { kind: 'index', mediaType, manifest: parseImageIndex(fields, mediaType) };
  }
  return parseSchema1(content, fields, mediaType);
}

/**
 * The media type of stored manifest bytes, cheaply: the body's `mediaType`,
 * else its shape. No validation (it was validated when pushed, possibly by
 * another registry with other rules); `undefined` if it is not a JSON object.
 */
export function detectManifestMediaType(content: Uint8Array): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(json)) return undefined;
  return typeof json.mediaType === 'string' ? json.mediaType : shapeMediaType(json);
}

function parseJson(content: Uint8Array): JsonObject {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content));
  } catch (error) {
    throw new ManifestInvalidError(`not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw new ManifestInvalidError('must be a JSON object');
  return json;
}

function resolveMediaType(
  fields: Fields,
  json: JsonObject,
  contentType: string | undefined,
): string {
  const declared = fields.has('mediaType') ? readMediaType(fields, 'mediaType') : undefined;
  const essence = contentType === undefined ? '' : essenceOf(contentType);
  // A push without a useful Content-Type is judged by its body, as distribution 2.x did.
  const given = essence === '' || essence === 'application/json' ? undefined : essence;
  if (given !== undefined && !isManifestMediaType(given)) {
    throw new ManifestInvalidError(`unsupported manifest media type "${given}"`);
  }
  if (given !== undefined && declared !== undefined && declared !== given) {
    throw new ManifestInvalidError(
      `"${declared}" does not match the Content-Type "${given}"`,
      'mediaType',
    );
  }
  const mediaType = given ?? declared ?? shapeMediaType(json);
  if (!isManifestMediaType(mediaType)) {
    throw new ManifestInvalidError(`unsupported manifest media type "${mediaType}"`, 'mediaType');
  }
  return mediaType;
}

/** OCI allows leaving `mediaType` out; then the shape tells. */
function shapeMediaType(json: JsonObject): string {
  if (json.schemaVersion === 1) {
    return json.signatures === undefined ? MediaType.dockerSchema1 : MediaType.dockerSchema1Signed;
  }
  return json.manifests === undefined ? MediaType.ociManifest : MediaType.ociIndex;
}

function requireSchemaVersion2(fields: Fields): void {
  if (fields.integer('schemaVersion') !== 2)
    throw new ManifestInvalidError('must be 2', 'schemaVersion');
}

/** Docker's formats require `mediaType` in the body; OCI's make it optional. */
function requireDeclaredMediaType(fields: Fields, mediaType: string): void {
  if (mediaType.startsWith('application/vnd.docker.') && !fields.has('mediaType')) {
    throw new ManifestInvalidError(`is required for ${mediaType}`, 'mediaType');
  }
}

function refuse(fields: Fields, keys: readonly string[], kind: string): void {
  for (const key of keys) {
    if (fields.has(key)) throw new ManifestInvalidError(`${kind} must not have "${key}"`, key);
  }
}

function parseImageManifest(fields: Fields, mediaType: string): ImageManifest {
  requireSchemaVersion2(fields);
  requireDeclaredMediaType(fields, mediaType);
  refuse(fields, ['manifests'], 'an image manifest');
  const layers = fields.descriptors('layers');
  layers.forEach((layer, index) => {
    if (layer.mediaType === MediaType.dockerForeignLayer && (layer.urls ?? []).length === 0) {
      throw new ManifestInvalidError('a foreign layer needs urls', `layers[${String(index)}].urls`);
    }
  });
  return withoutUndefined({
    schemaVersion: 2 as const,
    mediaType: fields.optionalString('mediaType'),
    artifactType: fields.has('artifactType') ? readMediaType(fields, 'artifactType') : undefined,
    config: fields.descriptor('config'),
    layers,
    subject: fields.optionalDescriptor('subject'),
    annotations: fields.optionalStringMap('annotations'),
  });
}

function parseImageIndex(fields: Fields, mediaType: string): ImageIndex {
  requireSchemaVersion2(fields);
  requireDeclaredMediaType(fields, mediaType);
  refuse(fields, ['config', 'layers'], 'an index');
  return withoutUndefined({
    schemaVersion: 2 as const,
    mediaType: fields.optionalString('mediaType'),
    artifactType: fields.has('artifactType') ? readMediaType(fields, 'artifactType') : undefined,
    manifests: fields.descriptors('manifests'),
    subject: fields.optionalDescriptor('subject'),
    annotations: fields.optionalStringMap('annotations'),
  });
}
