import { digestOf } from '@lading/oci';
import { inspectRaw, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';
import { digestOfBody } from './chunked-upload.js';
import type { LadingProcess } from './lading-process.js';

/** distribution's storage path of a blob's bytes, written out here so the tests check it. */
export function distributionBlobPath(digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return `/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
}

/**
 * `server` (a second node on the same store, with redirects off) serves `image`'s manifest
 * for `team/app:1.0` and answers every one of its blobs itself, 200 with the exact bytes.
 */
export async function expectServesEveryBlobItself(
  server: LadingProcess,
  image: WrittenImage,
): Promise<void> {
  const manifest = Buffer.from(await inspectRaw(`docker://${server.host}/team/app:1.0`));
  expect(digestOf(manifest)).to.equal(image.manifestDigest);
  for (const [digest, content] of image.blobs) {
    const response = await fetch(`${server.url}/v2/team/app/blobs/${digest}`, {
      redirect: 'manual',
    });
    expect(response.status, digest).to.equal(200);
    expect(await digestOfBody(response)).to.deep.equal({ bytes: content.length, digest });
  }
}
