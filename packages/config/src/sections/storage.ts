import { ConfigError } from '../errors.js';
import type { Fields } from '../fields.js';
import type { StorageCacheConfig, StorageConfig, StorageDriverConfig } from '../registry-config.js';
import { storageSettingKeys } from '../schema.js';
import { closestKey } from '../suggest.js';
import { childPath, isMapping, withoutUndefined } from '../tree.js';

const driverExpectation =
  'exactly one storage driver section, such as filesystem, s3, gcs, azure or inmemory';
const driverName = /^[a-z][a-z0-9_-]*$/;
const blobDescriptorCaches = ['inmemory', 'redis'] as const;
const hour = 3_600_000;

/**
 * `storage`: the driver (the one key that is not a setting) with its parameters,
 * and the settings around it. Parameters are the driver's business, not checked here.
 */
export function readStorage(root: Fields): StorageConfig {
  if (!root.has('storage')) throw root.invalid('storage', driverExpectation);
  const storage = root.child('storage');
  const maintenance = storage.child('maintenance');
  const purging = maintenance.child('uploadpurging');
  return {
    driver: readDriver(storage),
    delete: { enabled: storage.child('delete').boolean('enabled', false) },
    redirect: { disable: storage.child('redirect').boolean('disable', false) },
    cache: readCache(storage.child('cache'), root.has('redis')),
    maintenance: {
      uploadpurging: {
        enabled: purging.boolean('enabled', true),
        age: purging.duration('age', 168 * hour),
        interval: purging.duration('interval', 24 * hour),
        dryrun: purging.boolean('dryrun', false),
      },
      readonly: { enabled: maintenance.child('readonly').boolean('enabled', false) },
    },
    tag: withoutUndefined({
      concurrencylimit: storage.child('tag').optionalInteger('concurrencylimit'),
    }),
  };
}

function readDriver(storage: Fields): StorageDriverConfig {
  const settings: readonly string[] = storageSettingKeys;
  const names = storage.keys().filter((key) => !settings.includes(key));
  const [name] = names;
  if (name === undefined) {
    throw storage.problem(
      names,
      driverExpectation,
      `no storage driver; expected ${driverExpectation}`,
    );
  }
  if (names.length > 1) {
    // A misspelt setting (`delet:`) looks like a second driver; say so.
    const misspelt = names
      .map((candidate) => ({ candidate, setting: closestKey(candidate, settings) }))
      .find(({ setting }) => setting !== undefined);
    const hint =
      misspelt === undefined
        ? ''
        : ` (is "${misspelt.candidate}" a misspelt "${String(misspelt.setting)}"?)`;
    throw storage.problem(
      names,
      'exactly one storage driver',
      `several storage drivers: ${names.join(', ')}; expected exactly one${hint}`,
    );
  }
  if (!driverName.test(name)) {
    throw storage.invalid(
      name,
      'a lowercase driver name such as filesystem or s3',
      `"${name}" is not a storage driver name; expected a lowercase name such as filesystem or s3`,
    );
  }
  return { name, parameters: readParameters(storage, name) };
}

/**
 * The driver's parameters with their keys lower-cased: distribution lower-cases the
 * keys environment overrides create, and drivers look keys up in lower case.
 */
function readParameters(storage: Fields, name: string): Record<string, unknown> {
  const given = storage.get(name);
  if (given === undefined) return {};
  if (!isMapping(given)) throw storage.invalid(name, 'a mapping of driver parameters');
  const parameters: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    const lower = key.toLowerCase();
    if (Object.hasOwn(parameters, lower)) {
      throw new ConfigError({
        key: childPath(storage.at(name), key),
        value,
        expected: 'each parameter once',
        detail: `repeats parameter "${lower}" (names are not case-sensitive); expected each parameter once`,
      });
    }
    parameters[lower] = value;
  }
  return parameters;
}

function readCache(cache: Fields, hasRedis: boolean): StorageCacheConfig {
  // `layerinfo` is the old name of `blobdescriptor`.
  const key =
    cache.has('blobdescriptor') || !cache.has('layerinfo') ? 'blobdescriptor' : 'layerinfo';
  const blobdescriptor = cache.optionalChoice(key, blobDescriptorCaches);
  if (blobdescriptor === 'redis' && !hasRedis) {
    throw cache.invalid(key, 'inmemory, or a redis section to cache in redis');
  }
  return withoutUndefined({
    blobdescriptor,
    blobdescriptorsize: cache.optionalInteger('blobdescriptorsize'),
  });
}
