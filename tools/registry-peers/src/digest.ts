import { createHash } from 'node:crypto';

/** The OCI digest of `content`: `sha256:` and the lowercase hex SHA-256. */
export function sha256Digest(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Splits `sha256:<hex>` into its parts, rejecting anything else (it becomes a file path). */
export function parseSha256Digest(digest: string): { algorithm: 'sha256'; hex: string } {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (match?.[1] === undefined) throw new Error(`not a sha256 digest: ${JSON.stringify(digest)}`);
  return { algorithm: 'sha256', hex: match[1] };
}
