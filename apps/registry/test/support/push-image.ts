import { buildOciImage, ociMediaTypes } from '@lading/registry-peers';

/**
 * Pushes a one-layer image to `repository:tag` over the registry API, as a client
 * would (monolithic blob uploads, then the manifest), and returns its manifest digest.
 * `authorization` is the header to send, for a registry behind token auth.
 */
export async function pushImage(
  url: string,
  repository: string,
  tag: string,
  authorization?: string,
): Promise<string> {
  const image = buildOciImage({ tag, layers: [{ files: { 'hello.txt': `${repository}\n` } }] });
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  for (const [digest, content] of image.blobs) {
    const uploaded = await fetch(`${url}/v2/${repository}/blobs/uploads/?digest=${digest}`, {
      method: 'POST',
      headers,
      body: content,
    });
    if (uploaded.status !== 201) {
      throw new Error(
        `blob upload to ${repository}: ${String(uploaded.status)} ${await uploaded.text()}`,
      );
    }
  }
  const put = await fetch(`${url}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': ociMediaTypes.imageManifest },
    body: image.manifest,
  });
  if (put.status !== 201) {
    throw new Error(
      `manifest push to ${repository}:${tag}: ${String(put.status)} ${await put.text()}`,
    );
  }
  return image.manifestDigest;
}
