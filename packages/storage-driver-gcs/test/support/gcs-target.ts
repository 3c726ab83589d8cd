import { randomBytes } from 'node:crypto';
import { startGcsEmulator, type RunningGcsEmulator } from '@lading/registry-peers';
import type { GcsDriverOptions } from '../../src/index.js';

/**
 * Where the gcs tests store: by default a bucket on the JSON API emulator in
 * tools/emulators/gcs, started here on 127.0.0.1; with `LADING_GCS_BUCKET` set, that bucket
 * on Google Cloud Storage, with `LADING_GCS_KEYFILE` (a service-account key; otherwise
 * Application Default Credentials).
 */
export interface GcsTarget {
  readonly description: string;
  /** Options reaching the bucket, under a root directory of its own for each call. */
  driverOptions(overrides?: Partial<GcsDriverOptions>): GcsDriverOptions;
  /** The local emulator, when the target is one. */
  readonly emulator: RunningGcsEmulator | undefined;
}

let emulator: Promise<RunningGcsEmulator> | undefined;
let target: Promise<GcsTarget> | undefined;

export function gcsTarget(): Promise<GcsTarget> {
  target ??= process.env.LADING_GCS_BUCKET ? Promise.resolve(cloudTarget()) : localGcsTarget();
  return target;
}

export function localEmulator(): Promise<RunningGcsEmulator> {
  emulator ??= startGcsEmulator();
  return emulator;
}

/** Always the local emulator: for tests that look behind the driver or disturb the store. */
export async function localGcsTarget(): Promise<GcsTarget> {
  const running = await localEmulator();
  const bucket = await running.createBucket();
  const base: GcsDriverOptions = {
    bucket,
    endpoint: running.endpoint,
    credentials: {
      type: 'service_account',
      client_email: running.serviceAccount.client_email,
      private_key: running.serviceAccount.private_key,
      project_id: running.projectId,
    },
  };
  return {
    description: `the GCS emulator at ${running.endpoint}`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
    emulator: running,
  };
}

function cloudTarget(): GcsTarget {
  const bucket = String(process.env.LADING_GCS_BUCKET);
  const keyFile = process.env.LADING_GCS_KEYFILE;
  const base: GcsDriverOptions = {
    bucket,
    ...(keyFile === undefined || keyFile === '' ? {} : { keyFile }),
  };
  return {
    description: `bucket ${bucket} on Google Cloud Storage`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
    emulator: undefined,
  };
}

function uniqueRoot(): string {
  return `/lading-test-${randomBytes(6).toString('hex')}`;
}

export async function stopGcsTargets(): Promise<void> {
  const running = emulator;
  emulator = undefined;
  target = undefined;
  if (running !== undefined) await (await running).stop();
}
