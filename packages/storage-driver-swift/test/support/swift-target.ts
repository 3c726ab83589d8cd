import { randomBytes } from 'node:crypto';
import { startSwift, type RunningSwift } from '@lading/registry-peers';
import type { SwiftDriverOptions } from '../../src/index.js';

/**
 * Where the swift tests store: by default a container on a real OpenStack Swift started
 * here on 127.0.0.1 (TempAuth); with `LADING_SWIFT_AUTHURL` set, that cluster, logged in
 * with `LADING_SWIFT_USERNAME`, `LADING_SWIFT_PASSWORD` and the optional
 * `LADING_SWIFT_TENANT`, `LADING_SWIFT_DOMAIN`, `LADING_SWIFT_REGION`,
 * `LADING_SWIFT_AUTHVERSION` and `LADING_SWIFT_CONTAINER` (default `lading-test`).
 */
export interface SwiftTarget {
  readonly description: string;
  /** Options reaching the container, under a prefix of their own for each call. */
  driverOptions(overrides?: Partial<SwiftDriverOptions>): SwiftDriverOptions;
  /** The local all-in-one, when the target is one (for tests that look behind the driver). */
  readonly local: RunningSwift | undefined;
}

let swift: Promise<RunningSwift> | undefined;
let target: Promise<SwiftTarget> | undefined;

/** The target the driver suites run against (one per test process). */
export function swiftTarget(): Promise<SwiftTarget> {
  target ??= process.env.LADING_SWIFT_AUTHURL
    ? Promise.resolve(remoteTarget())
    : localSwiftTarget();
  return target;
}

/** The local all-in-one Swift (started once per test process). */
export function localSwift(): Promise<RunningSwift> {
  swift ??= startSwift();
  return swift;
}

/** Always the local Swift: for tests that need to see or disturb the store's side. */
export async function localSwiftTarget(): Promise<SwiftTarget> {
  const running = await localSwift();
  const container = await running.createBucket();
  const base = {
    authUrl: running.swift.authUrl,
    username: running.swift.user,
    password: running.swift.key,
    container,
  };
  return {
    description: `OpenStack Swift at ${running.swift.authUrl}`,
    driverOptions: (overrides = {}) => ({ ...base, prefix: uniquePrefix(), ...overrides }),
    local: running,
  };
}

function remoteTarget(): SwiftTarget {
  const environment = process.env;
  const optional = (name: string) => {
    const value = environment[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const authVersion = optional('LADING_SWIFT_AUTHVERSION');
  const base: SwiftDriverOptions = {
    authUrl: String(environment.LADING_SWIFT_AUTHURL),
    username: String(environment.LADING_SWIFT_USERNAME),
    password: String(environment.LADING_SWIFT_PASSWORD),
    container: optional('LADING_SWIFT_CONTAINER') ?? 'lading-test',
    ...(authVersion === undefined ? {} : { authVersion: Number(authVersion) as 0 | 1 | 2 | 3 }),
  };
  const tenant = optional('LADING_SWIFT_TENANT');
  const domain = optional('LADING_SWIFT_DOMAIN');
  const region = optional('LADING_SWIFT_REGION');
  if (tenant !== undefined) base.tenant = tenant;
  if (domain !== undefined) base.domain = domain;
  if (region !== undefined) base.region = region;
  return {
    description: `Swift at ${base.authUrl}, container ${base.container}`,
    driverOptions: (overrides = {}) => ({ ...base, prefix: uniquePrefix(), ...overrides }),
    local: undefined,
  };
}

function uniquePrefix(): string {
  return `lading-test-${randomBytes(6).toString('hex')}`;
}

/** Stops the local Swift, if one was started. */
export async function stopSwiftTargets(): Promise<void> {
  const running = swift;
  swift = undefined;
  target = undefined;
  if (running !== undefined) await (await running).stop();
}
