import { isNotFound } from './gcs-errors.js';
import { contentType, type GcsStore } from './gcs-store.js';

/** A finished segment of a writer: an object below `<name>~segments/`. */
export interface Segment {
  readonly name: string;
  readonly size: number;
}

/** The committed object a writer continues, pinned to the generation it saw. */
export interface Base {
  readonly generation: string;
  readonly size: number;
}

/**
 * A closed writer's state, kept as one small JSON object beside its target
 * (`<name>~partial`): the segments it finished, in order, and the committed object it
 * continues, if any. Every close finishes its bytes as a segment, so there is no tail to
 * keep: a writer in any process resumes from this alone without sending a byte again.
 */
export interface PartialState {
  readonly writerId: string;
  readonly segments: readonly Segment[];
  readonly base?: Base;
}

export async function readPartial(
  store: GcsStore,
  partialName: string,
): Promise<PartialState | undefined> {
  try {
    const [content] = await store.regulator.run(() => store.bucket.file(partialName).download());
    const state = JSON.parse(content.toString('utf8')) as Partial<PartialState>;
    if (typeof state.writerId !== 'string' || !Array.isArray(state.segments)) {
      throw new Error(`${partialName}: not a writer state`);
    }
    return state as PartialState;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function writePartial(
  store: GcsStore,
  partialName: string,
  state: PartialState,
): Promise<void> {
  await store.regulator.run(() =>
    store.bucket
      .file(partialName)
      .save(Buffer.from(JSON.stringify(state)), { resumable: false, contentType }),
  );
}
