import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { startSwift, type RunningSwift } from '@lading/registry-peers';
import type { S3DriverOptions } from '../../src/index.js';

/**
 * Where the S3 tests store: by default a bucket on a real OpenStack Swift
 * with its s3api, started here on 127.0.0.1; with `LADING_S3_BUCKET` set, that
 * bucket on AWS (or on `LADING_S3_ENDPOINT`), with the SDK's default
 * credentials (AWS_ACCESS_KEY_ID…, a profile, an instance role).
 */
export interface S3Target {
  readonly description: string;
  /** Options reaching the bucket, under a root directory of its own for each call. */
  driverOptions(overrides?: Partial<S3DriverOptions>): S3DriverOptions;
  /** An SDK client of its own, to look at the bucket behind the driver's back. */
  readonly client: S3Client;
  readonly bucket: string;
  /**
   * Swift's object server can answer a GET racing an overwrite with 404 (it may unlink the
   * old version between choosing and opening it); S3 itself never does.
   */
  readonly readMayMissDuringOverwrite: boolean;
}

let swift: Promise<RunningSwift> | undefined;
let target: Promise<S3Target> | undefined;

/** The target the driver suites run against (one per test process). */
export function s3Target(): Promise<S3Target> {
  target ??= process.env.LADING_S3_BUCKET ? Promise.resolve(awsTarget()) : localSwiftTarget();
  return target;
}

/** Always the local Swift: for tests that put a recording proxy in front of the store. */
export function localSwiftTarget(): Promise<S3Target> {
  const server = (swift ??= startSwift());
  return server.then(async (running) => {
    const bucket = await running.createBucket();
    const base = {
      bucket,
      region: running.s3.region,
      regionEndpoint: running.s3.endpoint,
      forcePathStyle: true,
      credentials: {
        accessKeyId: running.s3.accessKeyId,
        secretAccessKey: running.s3.secretAccessKey,
      },
    };
    return {
      description: `OpenStack Swift s3api at ${running.s3.endpoint}`,
      driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
      client: new S3Client({
        region: base.region,
        endpoint: base.regionEndpoint,
        forcePathStyle: true,
        credentials: base.credentials,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
      bucket,
      readMayMissDuringOverwrite: true,
    };
  });
}

function awsTarget(): S3Target {
  const bucket = String(process.env.LADING_S3_BUCKET);
  const region = process.env.LADING_S3_REGION ?? 'us-east-1';
  const endpoint = process.env.LADING_S3_ENDPOINT;
  const base = {
    bucket,
    region,
    ...(endpoint === undefined ? {} : { regionEndpoint: endpoint, forcePathStyle: true }),
  };
  return {
    description: `bucket ${bucket} on ${endpoint ?? `AWS ${region}`}`,
    driverOptions: (overrides = {}) => ({ ...base, rootDirectory: uniqueRoot(), ...overrides }),
    client: new S3Client({
      region,
      ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    }),
    bucket,
    readMayMissDuringOverwrite: false,
  };
}

function uniqueRoot(): string {
  return `/lading-test-${randomBytes(6).toString('hex')}`;
}

/** Stops the local Swift, if one was started. */
export async function stopS3Targets(): Promise<void> {
  const running = swift;
  swift = undefined;
  target = undefined;
  if (running !== undefined) await (await running).stop();
}
