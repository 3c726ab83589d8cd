import { deleteObject, putObject, readObject } from './swift-objects.js';
import { deleteSegmentsUnder, type Segment } from './swift-segments.js';
import type { SwiftStore } from './swift-store.js';

/**
 * A closed writer's state, in one object beside its target (`<name>~partial`): a line of
 * JSON — where the writer puts its segments, and every segment of the file so far (those
 * of committed content it continues included) — then the unsent tail, fewer bytes than a
 * segment. A writer in any process resumes from it without sending a stored byte again.
 * A segment uploaded after the last close is not listed: a resumed writer overwrites it,
 * and commit or cancel deletes what no manifest lists.
 */
export interface PartialState {
  readonly segmentsPath: string;
  readonly segments: readonly Segment[];
  readonly tail: Buffer;
}

const newline = 0x0a;

export async function readPartial(
  store: SwiftStore,
  partialName: string,
): Promise<PartialState | undefined> {
  const content = await readObject(store, partialName);
  if (content === undefined) return undefined;
  const end = content.indexOf(newline);
  if (end === -1) throw new Error(`${partialName}: not a writer state (no header line)`);
  const header = JSON.parse(content.subarray(0, end).toString('utf8')) as {
    segmentsPath?: unknown;
    segments?: unknown;
  };
  if (typeof header.segmentsPath !== 'string' || !Array.isArray(header.segments)) {
    throw new Error(`${partialName}: not a writer state (bad header)`);
  }
  return {
    segmentsPath: header.segmentsPath,
    segments: header.segments as Segment[],
    tail: content.subarray(end + 1),
  };
}

export async function writePartial(
  store: SwiftStore,
  partialName: string,
  state: PartialState,
): Promise<void> {
  const header = JSON.stringify({ segmentsPath: state.segmentsPath, segments: state.segments });
  await putObject(store, partialName, Buffer.concat([Buffer.from(`${header}\n`), state.tail]));
}

export async function deletePartialObject(store: SwiftStore, partialName: string): Promise<void> {
  await deleteObject(store, partialName);
}

/**
 * Removes a writer's state and the segments only it holds: those below its own segments
 * path that `keep` (the committed manifest) does not list.
 */
export async function discardPartial(
  store: SwiftStore,
  partialName: string,
  state: PartialState,
  keep: readonly Segment[],
): Promise<void> {
  await deleteSegmentsUnder(store, state.segmentsPath, keep);
  await deleteObject(store, partialName);
}
