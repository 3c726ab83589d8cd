import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestOf } from '@lading/oci';
import { copyImage, inspectRaw, readOciLayout, type WrittenImage } from '@lading/registry-peers';
import { expect } from 'chai';

/**
 * skopeo copies `image` (an OCI layout in `work/image`, tagged 1.0) to `reference` on the
 * server and back into `work/out`, and every digest must come back as it went.
 */
export async function expectSkopeoRoundTrip(
  work: string,
  image: WrittenImage,
  reference: string,
): Promise<void> {
  await copyImage(`oci:${join(work, 'image')}:1.0`, `docker://${reference}`);
  const raw = await inspectRaw(`docker://${reference}`);
  expect(digestOf(Buffer.from(raw))).to.equal(image.manifestDigest);
  await copyImage(`docker://${reference}`, `oci:${join(work, 'out')}:pulled`);
  const pulled = await readOciLayout(join(work, 'out'), 'pulled');
  expect(pulled.manifestDigest).to.equal(image.manifestDigest);
  for (const digest of image.blobs.keys()) {
    const stored = await readFile(join(work, 'out', 'blobs', 'sha256', digest.slice(7)));
    expect(digestOf(stored)).to.equal(digest);
  }
}
