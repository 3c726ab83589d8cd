import { checkKeys } from './check-keys.js';
import { applyEnvironmentOverrides } from './environment-overrides.js';
import type { AppliedOverride } from './environment-overrides.js';
import { ConfigError, isConfigError } from './errors.js';
import { Fields } from './fields.js';
import { expandNameOnly } from './name-only.js';
import { parseYaml } from './parse-yaml.js';
import type { LoadedConfig, RegistryConfig } from './registry-config.js';
import { configurationSchema } from './schema.js';
import { readAuth } from './sections/auth.js';
import { readHealth } from './sections/health.js';
import { readHttp } from './sections/http.js';
import { readLog } from './sections/log.js';
import { readNotifications } from './sections/notifications.js';
import {
  readCompatibility,
  readLading,
  readLimits,
  readRedis,
  readVersion,
} from './sections/other-sections.js';
import { readStorage } from './sections/storage.js';
import { readValidation } from './sections/validation.js';
import { isMapping, withoutUndefined } from './tree.js';
import type { Mapping } from './tree.js';

export interface ParseConfigOptions {
  /** The variables to read `REGISTRY_*` overrides from; `process.env` when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The file name error messages start with. */
  source?: string;
}

/**
 * Reads a distribution config.yml (v2.8 or v3) and distribution's `REGISTRY_*`
 * environment overrides into a validated `RegistryConfig`, all defaults applied.
 * Throws a `ConfigError` naming the first bad key, its value and what was expected.
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): LoadedConfig {
  const { source } = options;
  const warnings: string[] = [];
  const parsed = attribute(() => parseYaml(text), [], source);
  warnings.push(...parsed.warnings);
  const root = rootMapping(parsed.value, source);
  // `storage: inmemory` is a driver without parameters; overrides may descend into it.
  for (const [key, shape] of Object.entries(configurationSchema.fields)) {
    if (Object.hasOwn(root, key)) root[key] = expandNameOnly(root[key], shape);
  }
  const overrides = applyEnvironmentOverrides(root, options.env ?? process.env);
  warnings.push(...overrides.warnings);
  const config = attribute(
    () => {
      checkKeys(root, warnings);
      return readConfig(Fields.of(root, '', warnings));
    },
    overrides.applied,
    source,
  );
  return { config, warnings };
}

function readConfig(root: Fields): RegistryConfig {
  const auth = readAuth(root);
  return withoutUndefined({
    version: readVersion(root),
    log: readLog(root),
    storage: readStorage(root),
    auth,
    http: readHttp(root),
    notifications: readNotifications(root),
    redis: readRedis(root),
    health: readHealth(root),
    ...readLimits(root),
    validation: readValidation(root),
    compatibility: readCompatibility(root),
    lading: readLading(root, auth),
  });
}

/** The document must be a mapping; an empty file is an empty one (and lacks `version`). */
function rootMapping(value: unknown, source: string | undefined): Mapping {
  if (value === null) return {};
  if (isMapping(value)) return value;
  throw new ConfigError({
    key: '',
    value,
    expected: 'a mapping of configuration sections',
    source,
    detail: 'the document is not a mapping; expected a mapping of configuration sections',
  });
}

/**
 * Runs `read` and gives its ConfigError a source: the environment variable that set
 * the bad key, a section around it, or a key inside it (the last one, if several),
 * else the file.
 */
function attribute<T>(
  read: () => T,
  applied: readonly AppliedOverride[],
  source: string | undefined,
): T {
  try {
    return read();
  } catch (error) {
    /* c8 ignore next -- readers throw nothing but ConfigErrors */
    if (!isConfigError(error)) throw error;
    const override = applied.findLast(
      ({ key, scope }) => within(error.key, scope) || within(key, error.key),
    );
    throw error.withSource(override === undefined ? source : `environment ${override.name}`);
  }
}

/** Whether `key` is `section` or a key inside it. */
function within(key: string, section: string): boolean {
  return key === section || key.startsWith(`${section}.`) || key.startsWith(`${section}[`);
}
