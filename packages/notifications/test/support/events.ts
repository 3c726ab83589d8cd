import type { NotificationInput } from '../../src/index.js';

export const manifestType = 'application/vnd.oci.image.manifest.v1+json';
export const layerType = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** The n-th push of a test: its tag carries `n`, so order can be checked at the listener. */
export function push(n: number, mediaType = manifestType): NotificationInput {
  return {
    action: 'push',
    target: {
      kind: 'manifest',
      repository: 'group/app',
      digest: `sha256:${n.toString(16).padStart(64, '0')}`,
      mediaType,
      size: 100 + n,
      tag: `v${n}`,
    },
    context: {
      requestId: `request-${n}`,
      actor: 'alice',
      remoteAddress: '192.0.2.1:4000',
      host: 'registry.test',
      method: 'PUT',
      userAgent: 'test/1.0',
    },
  };
}

/** The `n` of events made by `push`. */
export const seq = (tag: string | undefined): number => Number(tag?.slice(1));
