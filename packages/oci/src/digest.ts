import { createHash, type Hash } from 'node:crypto';
import { DigestInvalidError } from './errors.js';

/** Algorithms Lading can compute and verify. `sha256` is canonical: blobs are stored by it. */
export type DigestAlgorithm = 'sha256' | 'sha512';

export const canonicalAlgorithm: DigestAlgorithm = 'sha256';

const encodedLength: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** The OCI image-spec digest grammar: `algorithm ":" encoded`. */
const digestGrammar = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

export interface ParsedDigest {
  /** The digest as given: `sha256:…`. */
  readonly digest: string;
  readonly algorithm: DigestAlgorithm;
  /** The hex part. */
  readonly encoded: string;
}

/** Parses and validates a digest, or throws `DigestInvalidError` saying what is wrong. */
export function parseDigest(value: string): ParsedDigest {
  const match = digestGrammar.exec(value);
  if (match === null) {
    throw new DigestInvalidError(
      value,
      'expected "<algorithm>:<encoded>", e.g. "sha256:" and 64 hex digits',
    );
  }
  const [, algorithm = '', encoded = ''] = match;
  if (!isDigestAlgorithm(algorithm)) {
    throw new DigestInvalidError(
      value,
      `unsupported algorithm "${algorithm}" (supported: sha256, sha512)`,
    );
  }
  const length = encodedLength[algorithm];
  if (!new RegExp(`^[a-f0-9]{${String(length)}}$`).test(encoded)) {
    throw new DigestInvalidError(
      value,
      `${algorithm} needs ${String(length)} lowercase hex digits`,
    );
  }
  return { digest: value, algorithm, encoded };
}

export function isDigest(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

export function isDigestAlgorithm(value: string): value is DigestAlgorithm {
  return value === 'sha256' || value === 'sha512';
}

/** The digest of `content`. */
export function digestOf(
  content: Uint8Array,
  algorithm: DigestAlgorithm = canonicalAlgorithm,
): string {
  return new Digester(algorithm).update(content).digest();
}

/** The digest of empty content, which every registry can serve without storing it. */
export const emptyDigest =
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** An incremental digest: feed it chunks, then read the digest. */
export class Digester {
  readonly #hash: Hash;
  #size = 0;

  constructor(readonly algorithm: DigestAlgorithm = canonicalAlgorithm) {
    this.#hash = createHash(algorithm);
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }

  update(chunk: Uint8Array): this {
    this.#hash.update(chunk);
    this.#size += chunk.byteLength;
    return this;
  }

  /** The digest of everything seen so far; the digester can go on afterwards. */
  digest(): string {
    return `${this.algorithm}:${this.#hash.copy().digest('hex')}`;
  }
}
