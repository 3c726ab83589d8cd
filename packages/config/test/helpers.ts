import { expect } from 'chai';
import { ConfigError, parseConfig } from '../src/index.js';
import type { LoadedConfig } from '../src/index.js';

export type Environment = Record<string, string | undefined>;

/** The smallest valid configuration: a version and a driver. */
export const minimal = 'version: 0.1\nstorage:\n  inmemory:\n';

/** YAML written indented inside a test, with the common indentation removed. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indents = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const indent = Math.min(...indents);
  return text
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n');
}

export function parse(text: string, env: Environment = {}): LoadedConfig {
  return parseConfig(text, { env, source: 'config.yml' });
}

/** `minimal` plus more sections. */
export function parseWith(sections: string, env: Environment = {}): LoadedConfig {
  return parse(minimal + sections, env);
}

/** The ConfigError that `read` throws; fails the test if it throws none. */
export function failure(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

export function parseFailure(text: string, env: Environment = {}): ConfigError {
  return failure(() => parse(text, env));
}

export function sectionFailure(sections: string, env: Environment = {}): ConfigError {
  return parseFailure(minimal + sections, env);
}
