import { createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { hashingStream, ObjectHasher } from './checksums.js';
import { requireParam, type RequestContext } from './context.js';
import { badRequest } from './errors.js';
import { isRecord, readJsonObject, sendJson } from './http-io.js';
import {
  checkObjectName,
  objectResource,
  writableMetadata,
  type ObjectRecord,
} from './object-record.js';
import { removeQuietly, removeWhenClosed } from '@lading/emulator-kit';
import type { ObjectStore } from './object-store.js';
import { checkPreconditions, preconditionsFrom } from './preconditions.js';

// GCS's limits: 32 sources per call, 1024 components in a composite object.
const maxSources = 32;
const maxComponents = 1024;

/**
 * `POST /storage/v1/b/:bucket/o/:object/compose`: concatenates up to 32 objects of the bucket
 * into the destination, which may be one of them. The result is a composite object: it has a
 * CRC32C but no MD5, and its componentCount adds up its sources' counts (1 for a plain object).
 */
export async function composeObject(context: RequestContext): Promise<void> {
  const { req, res, url, emulator } = context;
  const { store } = emulator;
  const bucket = requireParam(context, 'bucket');
  const name = requireParam(context, 'object');
  store.requireBucket(bucket);
  checkObjectName(name);
  const body = await readJsonObject(req);
  const lookups = sourceLookups(store, bucket, body.sourceObjects);
  const destination = isRecord(body.destination) ? body.destination : {};
  const metadata = writableMetadata(destination);
  const preconditions = preconditionsFrom(url.searchParams);
  checkPreconditions(preconditions, store.get(bucket, name));

  // Every source is opened before any byte is copied: an open file keeps its bytes even if a
  // writer replaces that source (or the destination, which may be a source) meanwhile.
  const sources: { record: ObjectRecord; file: FileHandle }[] = [];
  const data = store.newDataFile();
  const hasher = ObjectHasher.create();
  let committed = false;
  try {
    for (const lookup of lookups) sources.push(await store.openLive(lookup));
    const componentCount = sources.reduce(
      (sum, { record }) => sum + (record.componentCount ?? 1),
      0,
    );
    if (componentCount > maxComponents) {
      throw badRequest(
        `The number of components (${String(componentCount)}) would exceed the maximum of ${String(maxComponents)}.`,
      );
    }
    await concatenate(
      sources.map(({ file }) => file),
      data.path,
      hasher,
    );
    const { crc32c } = hasher.digest();
    const checksums = { crc32c };
    const write = {
      bucket,
      name,
      dataFile: data.name,
      size: hasher.length,
      checksums,
      componentCount,
      metadata,
    };
    const record = await store.commit(write, preconditions);
    committed = true;
    sendJson(res, 200, objectResource(record, emulator.endpoint));
  } finally {
    await Promise.all(sources.map(({ file }) => file.close()));
    if (!committed) await removeQuietly(data.path);
  }
}

/**
 * A lookup per source, after checking the list: each finds the live source and checks it,
 * 404 for a missing one or another generation, 412 for a failed condition.
 */
function sourceLookups(
  store: ObjectStore,
  bucket: string,
  sourceObjects: unknown,
): (() => ObjectRecord)[] {
  if (!Array.isArray(sourceObjects) || sourceObjects.length === 0) {
    throw badRequest('You must provide at least one source component.', 'required');
  }
  if (sourceObjects.length > maxSources) {
    throw badRequest(
      `The number of source components provided (${String(sourceObjects.length)}) exceeds the maximum (${String(maxSources)}).`,
    );
  }
  return sourceObjects.map((source: unknown) => {
    if (!isRecord(source) || typeof source.name !== 'string') {
      throw badRequest('Every source component needs a name.', 'required');
    }
    const sourceName = source.name;
    const generation = integerText(source.generation);
    const conditions = isRecord(source.objectPreconditions) ? source.objectPreconditions : {};
    const ifGenerationMatch = integerText(conditions.ifGenerationMatch);
    const preconditions = preconditionsFrom(
      new URLSearchParams(ifGenerationMatch === undefined ? {} : { ifGenerationMatch }),
    );
    return () => {
      const record = store.require(bucket, sourceName, generation);
      checkPreconditions(preconditions, record);
      return record;
    };
  });
}

/** A generation in a JSON body: the SDK sends a number, a string is fine too. */
function integerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const integer =
    (typeof value === 'number' && Number.isInteger(value)) ||
    (typeof value === 'string' && /^\d+$/.test(value));
  if (!integer) throw badRequest(`Invalid generation: ${JSON.stringify(value)}`);
  return String(value);
}

/** Writes the files one after the other into `path`, hashed on the way. */
async function concatenate(
  files: readonly FileHandle[],
  path: string,
  hasher: ObjectHasher,
): Promise<void> {
  const sink = createWriteStream(path);
  try {
    await pipeline(
      async function* () {
        for (const file of files) {
          for await (const chunk of file.createReadStream({ autoClose: false, start: 0 })) {
            yield chunk as Buffer;
          }
        }
      },
      hashingStream(hasher),
      sink,
    );
  } catch (error) {
    await removeWhenClosed(sink, path);
    throw error;
  }
}
