import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ManifestInvalidError, ManifestUnverifiedError } from './errors.js';
import { Fields, isObject } from './json-fields.js';
import type { ParsedManifest, Schema1Manifest } from './manifest-types.js';
import { MediaType } from './media-types.js';

/**
 * Docker image manifest v2 schema 1, as signed by libtrust: pretty-printed
 * JSON with a `signatures` array; each signature's protected header says how
 * to rebuild the signed payload (`formatLength` bytes of the document, then
 * `formatTail`). Every signature must verify over the same payload.
 */
export function parseSchema1(
  content: Uint8Array,
  fields: Fields,
  mediaType: string,
): ParsedManifest {
  const signed = mediaType === MediaType.dockerSchema1Signed;
  const payload = signed ? verifiedPayload(content, fields) : Buffer.from(content);
  const manifest = readSchema1(
    signed ? Fields.of(JSON.parse(payload.toString('utf8')), '') : fields,
  );
  return { kind: 'schema1', mediaType, manifest, payload };
}

function readSchema1(fields: Fields): Schema1Manifest {
  if (fields.integer('schemaVersion') !== 1)
    throw new ManifestInvalidError('must be 1', 'schemaVersion');
  const fsLayers = fields
    .elements('fsLayers')
    .map((layer) => ({ blobSum: layer.digest('blobSum') }));
  const history = fields
    .elements('history')
    .map((entry) => ({ v1Compatibility: entry.string('v1Compatibility') }));
  if (fsLayers.length === 0) throw new ManifestInvalidError('must not be empty', 'fsLayers');
  if (history.length !== fsLayers.length) {
    throw new ManifestInvalidError(
      `has ${String(history.length)} entries for ${String(fsLayers.length)} fsLayers`,
      'history',
    );
  }
  return {
    schemaVersion: 1,
    name: fields.string('name'),
    tag: fields.string('tag'),
    architecture: fields.string('architecture'),
    fsLayers,
    history,
  };
}

function verifiedPayload(content: Uint8Array, fields: Fields): Buffer {
  const signatures = fields.has('signatures') ? fields.array('signatures') : [];
  if (signatures.length === 0) throw new ManifestUnverifiedError('the manifest has no signatures');
  let payload: Buffer | undefined;
  signatures.forEach((signature, index) => {
    const signedPayload = verifySignature(Buffer.from(content), signature, index);
    if (payload !== undefined && !payload.equals(signedPayload)) {
      throw new ManifestUnverifiedError(`signature ${String(index)} covers a different payload`);
    }
    payload = signedPayload;
  });
  return payload ?? Buffer.alloc(0);
}

const hashOfAlgorithm: Record<string, string> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
};

function verifySignature(content: Buffer, signature: unknown, index: number): Buffer {
  const fail = (reason: string) =>
    new ManifestUnverifiedError(`signature ${String(index)}: ${reason}`);
  if (!isObject(signature) || !isObject(signature.header)) throw fail('has no header');
  const { header, protected: protectedHeader, signature: value } = signature;
  if (typeof protectedHeader !== 'string' || typeof value !== 'string') throw fail('is incomplete');
  const algorithm = typeof header.alg === 'string' ? header.alg : '';
  const hash = hashOfAlgorithm[algorithm];
  if (hash === undefined) throw fail(`unsupported algorithm "${algorithm}"`);
  const payload = rebuildPayload(content, protectedHeader, fail);
  const signingInput = Buffer.from(`${protectedHeader}.${payload.toString('base64url')}`);
  const key = publicKeyOf(header, fail);
  const options = algorithm.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  if (!verify(hash, signingInput, options, Buffer.from(value, 'base64url')))
    throw fail('does not verify');
  return payload;
}

function rebuildPayload(
  content: Buffer,
  protectedHeader: string,
  fail: (reason: string) => Error,
): Buffer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8'));
  } catch {
    throw fail('the protected header is not base64url JSON');
  }
  if (
    !isObject(parsed) ||
    typeof parsed.formatLength !== 'number' ||
    typeof parsed.formatTail !== 'string'
  ) {
    throw fail('the protected header lacks formatLength or formatTail');
  }
  if (parsed.formatLength < 0 || parsed.formatLength > content.length) {
    throw fail('formatLength is outside the manifest');
  }
  return Buffer.concat([
    content.subarray(0, parsed.formatLength),
    Buffer.from(parsed.formatTail, 'base64url'),
  ]);
}

function publicKeyOf(
  header: Readonly<Record<string, unknown>>,
  fail: (reason: string) => Error,
): KeyObject {
  try {
    // Docker clients sign with a bare JWK; certificate chains (x5c) are not supported.
    if (isObject(header.jwk)) return createPublicKey({ key: { ...header.jwk }, format: 'jwk' });
  } catch (error) {
    throw fail(`has an unusable key (${(error as Error).message})`);
  }
  throw fail('has no jwk key');
}
