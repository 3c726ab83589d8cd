import type { MultipartStore } from './multipart-store.js';

/**
 * Server-side copy of `sourceKey` (`size` bytes) to `destinationKey`: one `copyObject` up to
 * the store's `copyThresholdSize`, a multipart copy above it, aborted if any step fails. No
 * byte passes through this process. A driver's `move` is this, then a delete of the source.
 */
export async function copyServerSide(
  store: MultipartStore,
  sourceKey: string,
  destinationKey: string,
  size: number,
): Promise<void> {
  if (size <= store.copyThresholdSize) {
    await store.copyObject(destinationKey, sourceKey);
    return;
  }
  const uploadId = await store.createUpload(destinationKey);
  try {
    const parts = await store.copyIntoParts(destinationKey, uploadId, sourceKey, size);
    await store.completeUpload(destinationKey, uploadId, parts);
  } catch (error) {
    await store.abortUpload(destinationKey, uploadId).catch(() => undefined);
    throw error;
  }
}
