import { randomBytes } from 'node:crypto';
import { startSwift, type RunningSwift } from '@lading/registry-peers';

/** The `storage: s3:` section for a test server, and how to stop what it needed. */
export interface S3Storage {
  readonly description: string;
  /** YAML lines of the s3 driver's parameters, indented for `storage:\n  s3:\n`. */
  readonly parameters: string;
  stop(): Promise<void>;
}

/**
 * A bucket for the reference server's s3 driver: on a real OpenStack Swift with
 * its s3api started here, or with `LADING_S3_BUCKET` set, that bucket on AWS (or
 * on `LADING_S3_ENDPOINT`), with the SDK's default credentials.
 */
export async function s3Storage(): Promise<S3Storage> {
  const rootdirectory = `/lading-e2e-${randomBytes(6).toString('hex')}`;
  const bucket = process.env.LADING_S3_BUCKET;
  if (bucket !== undefined && bucket !== '') {
    const endpoint = process.env.LADING_S3_ENDPOINT;
    const lines = {
      bucket,
      region: process.env.LADING_S3_REGION ?? 'us-east-1',
      rootdirectory,
      ...(endpoint === undefined ? {} : { regionendpoint: endpoint, forcepathstyle: true }),
    };
    return {
      description: `bucket ${bucket}`,
      parameters: yamlLines(lines),
      stop: () => Promise.resolve(),
    };
  }
  const swift: RunningSwift = await startSwift();
  const lines = {
    bucket: await swift.createBucket(),
    region: swift.s3.region,
    regionendpoint: swift.s3.endpoint,
    forcepathstyle: true,
    accesskey: swift.s3.accessKeyId,
    secretkey: swift.s3.secretAccessKey,
    rootdirectory,
  };
  return {
    description: `OpenStack Swift s3api at ${swift.s3.endpoint}`,
    parameters: yamlLines(lines),
    stop: () => swift.stop(),
  };
}

function yamlLines(parameters: Record<string, string | boolean>): string {
  return Object.entries(parameters)
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`)
    .join('');
}
