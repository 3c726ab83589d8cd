import { PathNotFoundError, type FileWriter } from '@lading/storage-driver';
import { copyObject, headObject, readObject, type ObjectHead } from './swift-objects.js';
import { discardPartial, readPartial } from './swift-partial.js';
import {
  committedSegments,
  newSegmentsPath,
  segmentName,
  segmentsOf,
  type Segment,
} from './swift-segments.js';
import { manifestPath, type SwiftStore } from './swift-store.js';
import { SwiftWriter } from './swift-writer.js';

/**
 * `writer(path, append)`: a fresh writer (dropping what an earlier one left), or one that
 * continues the last closed writer, or else the committed file.
 */
export async function openWriter(
  store: SwiftStore,
  path: string,
  append: boolean,
): Promise<FileWriter> {
  const name = store.keys.key(path);
  const partialName = store.keys.partialKey(path);
  const partial = await readPartial(store, partialName);
  if (partial !== undefined && append) {
    return new SwiftWriter(store, path, { ...partial, partialExists: true });
  }
  if (partial !== undefined) {
    await discardPartial(store, partialName, partial, await committedSegments(store, name));
  }
  if (!append) {
    return new SwiftWriter(store, path, {
      segmentsPath: newSegmentsPath(store),
      segments: [],
      tail: Buffer.alloc(0),
      partialExists: false,
    });
  }
  const head = await headObject(store, name);
  if (head === undefined) throw new PathNotFoundError(path);
  return appendToCommitted(store, path, name, head);
}

/**
 * Continues the committed object. A large object's segments become the first segments of
 * the new file, untouched; a plain object smaller than a segment is read back as the tail;
 * a larger one is copied server-side into the writer's first segment, so its bytes never
 * pass through this process.
 */
async function appendToCommitted(
  store: SwiftStore,
  path: string,
  name: string,
  head: ObjectHead,
): Promise<FileWriter> {
  const segmentsPath = newSegmentsPath(store);
  const start = { segmentsPath, tail: Buffer.alloc(0), partialExists: false };
  const segments = await segmentsOf(store, name, head);
  if (segments.length > 0) return new SwiftWriter(store, path, { ...start, segments });
  if (head.size < store.chunkSize) {
    const tail = head.size === 0 ? Buffer.alloc(0) : await readObject(store, name);
    if (tail === undefined) throw new PathNotFoundError(path);
    return new SwiftWriter(store, path, { ...start, segments: [], tail });
  }
  const first = segmentName(segmentsPath, 1);
  if (!(await copyObject(store, name, first, false))) throw new PathNotFoundError(path);
  const copied = await headObject(store, first);
  const segment: Segment = {
    path: manifestPath(store, first),
    etag: copied?.etag ?? '',
    size_bytes: copied?.size ?? head.size,
  };
  return new SwiftWriter(store, path, { ...start, segments: [segment] });
}
