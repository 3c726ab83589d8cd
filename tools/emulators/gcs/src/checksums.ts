import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { CRC32C } from '@google-cloud/storage';
import { badRequest } from './errors.js';

/** What GCS reports for an object's bytes: base64 MD5 (not for composed objects) and CRC32C. */
export interface Checksums {
  md5Hash?: string;
  crc32c: string;
}

/**
 * MD5 and CRC32C of a byte stream, updated as bytes arrive. The CRC32C is the SDK's own class,
 * so the emulator and the client it is tested with agree on the encoding (big-endian, base64).
 */
export class ObjectHasher {
  private constructor(
    private readonly md5: Hash,
    private readonly crc: CRC32C,
    /** How many bytes went in. */
    public length: number,
  ) {}

  static create(): ObjectHasher {
    return new ObjectHasher(createHash('md5'), new CRC32C(), 0);
  }

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    this.crc.update(chunk);
    this.length += chunk.length;
  }

  /** An independent copy: a chunk that fails halfway must not leave its bytes in the state. */
  copy(): ObjectHasher {
    return new ObjectHasher(this.md5.copy(), CRC32C.from(this.crc.valueOf()), this.length);
  }

  digest(): Required<Checksums> {
    return { md5Hash: this.md5.copy().digest('base64'), crc32c: this.crc.toString() };
  }
}

/** A pass-through stream that feeds every chunk to `hasher`. */
export function hashingStream(hasher: ObjectHasher): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hasher.update(chunk);
      done(null, chunk);
    },
  });
}

/** Checksums of the first `length` bytes of a file, read in one streaming pass. */
export async function hashFile(path: string, length: number): Promise<Required<Checksums>> {
  const hasher = ObjectHasher.create();
  if (length > 0) {
    for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) {
      hasher.update(chunk as Buffer);
    }
  }
  return hasher.digest();
}

/**
 * Checks the hashes a client claimed (the `X-Goog-Hash: crc32c=…,md5=…` request header, or
 * `crc32c`/`md5Hash` in the uploaded metadata) against what arrived; 400 on a mismatch, as
 * GCS refuses such an upload instead of storing corrupt bytes.
 */
export function checkClaimedChecksums(
  claims: readonly Partial<Checksums>[],
  actual: Required<Checksums>,
): void {
  for (const claim of claims) {
    if (claim.crc32c !== undefined && claim.crc32c !== actual.crc32c) {
      throw badRequest(
        `Provided CRC32C "${claim.crc32c}" doesn't match calculated CRC32C "${actual.crc32c}".`,
      );
    }
    if (claim.md5Hash !== undefined && claim.md5Hash !== actual.md5Hash) {
      throw badRequest(
        `Provided MD5 hash "${claim.md5Hash}" doesn't match calculated MD5 hash "${actual.md5Hash}".`,
      );
    }
  }
}

/** The hashes in an `X-Goog-Hash` header (`crc32c=…,md5=…`); empty when there is none. */
export function parseGoogHash(header: string | string[] | undefined): Partial<Checksums> {
  const claim: Partial<Checksums> = {};
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const pair of values.flatMap((value) => value.split(','))) {
    const separator = pair.indexOf('=');
    if (separator < 0) continue;
    const type = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    if (type === 'crc32c') claim.crc32c = value;
    if (type === 'md5') claim.md5Hash = value;
  }
  return claim;
}

/** The hashes claimed inside uploaded metadata (`crc32c`, `md5Hash`). */
export function claimedInMetadata(resource: Record<string, unknown>): Partial<Checksums> {
  const claim: Partial<Checksums> = {};
  if (typeof resource.crc32c === 'string') claim.crc32c = resource.crc32c;
  if (typeof resource.md5Hash === 'string') claim.md5Hash = resource.md5Hash;
  return claim;
}

/** The `X-Goog-Hash` response header: no md5 for composed objects, as GCS sends. */
export function googHashHeader(checksums: Checksums): string {
  const parts = [`crc32c=${checksums.crc32c}`];
  if (checksums.md5Hash !== undefined) parts.push(`md5=${checksums.md5Hash}`);
  return parts.join(',');
}
