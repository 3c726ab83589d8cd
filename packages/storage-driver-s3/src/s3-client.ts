import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { defaultMaxAttempts, type S3DriverOptions } from './s3-options.js';

/** Connections kept per agent: enough for a multipart copy's parallel parts and busy readers. */
const maxSockets = 256;
const connectionTimeoutMs = 10_000;

/**
 * The one S3Client a driver uses. Retries are the SDK's standard mode
 * (exponential backoff with jitter, throttling and 5xx and connection resets
 * retried); checksums only where S3 requires one, since S3-compatible servers
 * reject the CRC32 headers newer SDKs send by default.
 */
export function createS3Client(options: S3DriverOptions): S3Client {
  const secure = options.secure ?? true;
  const config: S3ClientConfig = {
    region: options.region ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? false,
    useDualstackEndpoint: options.useDualstack ?? false,
    useAccelerateEndpoint: options.accelerate ?? false,
    maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
    retryMode: 'standard',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connectionTimeoutMs,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({
        keepAlive: true,
        maxSockets,
        rejectUnauthorized: !(options.skipVerify ?? false),
      }),
    }),
  };
  if (options.regionEndpoint !== undefined) {
    config.endpoint = endpointURL(options.regionEndpoint, secure);
  } else if (!secure) {
    // The SDK resolves AWS endpoints to https only; plain http means naming the endpoint.
    config.endpoint = awsPlainHttpEndpoint(config.region as string);
  }
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.userAgent !== undefined) config.customUserAgent = options.userAgent;
  const client = new S3Client(config);
  addContentMd5ToDeleteObjects(client);
  return client;
}

/** distribution's rule: an endpoint without a scheme gets https, or http when `secure` is off. */
export function endpointURL(endpoint: string, secure: boolean): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) return endpoint;
  return `${secure ? 'https' : 'http'}://${endpoint}`;
}

/** AWS's regional S3 endpoint over plain http (`secure: false`); China has its own domain. */
export function awsPlainHttpEndpoint(region: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `http://s3.${region}.${domain}`;
}

/**
 * DeleteObjects must carry an integrity header. AWS accepts CRC32 or
 * Content-MD5; Swift's s3api, Ceph and older MinIO accept only Content-MD5,
 * so send that, and drop the CRC32 header the SDK adds.
 */
function addContentMd5ToDeleteObjects(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      if (context.commandName === 'DeleteObjectsCommand' && typeof request.body === 'string') {
        const headers = request.headers ?? {};
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase().startsWith('x-amz-checksum-'))
            Reflect.deleteProperty(headers, name);
          if (name.toLowerCase() === 'x-amz-sdk-checksum-algorithm') {
            Reflect.deleteProperty(headers, name);
          }
        }
        headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'ladingDeleteObjectsContentMd5' },
  );
}
