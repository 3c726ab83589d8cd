import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Address } from './addressing.js';
import { isoTime, parseRequestTime } from './dates.js';
import { OssError } from './errors.js';

// What the V1 and V4 checks share: who may call, the clock, the comparison and OSS's errors.

/** Who may call: access key id → secret, and the region V4 signatures must name. */
export interface Authority {
  readonly secrets: ReadonlyMap<string, string>;
  /** Without the `oss-` prefix: `cn-hangzhou`. */
  readonly region: string;
}

/** One request as the signature checks see it. */
export interface SignedRequest {
  readonly req: IncomingMessage;
  readonly query: URLSearchParams;
  readonly address: Address;
}

// OSS refuses a header-signed request whose time is more than 15 minutes off its clock.
const maxSkewMs = 15 * 60 * 1000;

export function secretOf(authority: Authority, accessKeyId: string): string {
  const secret = authority.secrets.get(accessKeyId);
  if (secret === undefined) {
    throw new OssError(
      403,
      'InvalidAccessKeyId',
      'The OSS Access Key Id you provided does not exist in our records.',
      {
        OSSAccessKeyId: accessKeyId,
      },
    );
  }
  return secret;
}

/** A header signature's time must be a valid date within 15 minutes of ours. */
export function checkRequestTime(date: string, now: number): void {
  const time = parseRequestTime(date);
  if (time === undefined) {
    throw accessDenied('OSS authentication requires a valid Date or x-oss-date header.');
  }
  if (Math.abs(now - time) > maxSkewMs) {
    throw new OssError(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
      {
        RequestTime: date,
        ServerTime: isoTime(now),
        MaxAllowedSkewMilliseconds: String(maxSkewMs),
      },
    );
  }
}

/**
 * A wrong signature is 403 SignatureDoesNotMatch, with the string OSS signed (and its bytes in
 * hex), so a client can compare it with its own.
 */
export function checkSignature(
  accessKeyId: string,
  provided: string,
  expected: string,
  stringToSign: string,
  extra: Record<string, string> = {},
): void {
  const a = Buffer.from(provided);
  const b = Buffer.from(expected);
  if (a.length === b.length && timingSafeEqual(a, b)) return;
  throw new OssError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      OSSAccessKeyId: accessKeyId,
      SignatureProvided: provided,
      StringToSign: stringToSign,
      StringToSignBytes: [...Buffer.from(stringToSign, 'utf8')]
        .map((byte) => byte.toString(16).padStart(2, '0'))
        .join(' '),
      ...extra,
    },
  );
}

export function requestExpired(expires: number, now: number): OssError {
  return accessDenied('Request has expired.', {
    Expires: isoTime(expires),
    ServerTime: isoTime(now),
  });
}

export function accessDenied(message: string, details: Record<string, string> = {}): OssError {
  return new OssError(403, 'AccessDenied', message, details);
}
