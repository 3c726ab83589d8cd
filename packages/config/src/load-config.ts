import { readFile } from 'node:fs/promises';
import { ConfigError } from './errors.js';
import { parseConfig } from './parse-config.js';
import type { LoadedConfig } from './registry-config.js';

export interface LoadConfigOptions {
  /** The variables to read `REGISTRY_*` overrides from; `process.env` when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Reads and validates the config file at `path`; errors name the path as their source. */
export async function loadConfig(
  path: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // readFile rejects with a system error: ENOENT, EACCES, EISDIR.
    const reason = (error as NodeJS.ErrnoException).message;
    throw new ConfigError({
      key: '',
      value: path,
      expected: 'a readable configuration file',
      source: path,
      detail: `cannot read the configuration file: ${reason}`,
      cause: error,
    });
  }
  return parseConfig(text, { env: options.env, source: path });
}

/**
 * Which file to read, as distribution decides: the command-line argument, else
 * `REGISTRY_CONFIGURATION_PATH`; `undefined` when neither is given.
 */
export function configPath(
  argument: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (argument !== undefined && argument !== '') return argument;
  const fromEnv = env.REGISTRY_CONFIGURATION_PATH;
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
