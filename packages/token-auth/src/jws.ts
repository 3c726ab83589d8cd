import { TokenInvalidError } from './errors.js';

/**
 * Tokens longer than this are refused before any parsing: real registry
 * tokens are a few hundred bytes to a few KiB (GitLab's carry a nested JWT),
 * and nothing past a header's worth should reach a JSON parser.
 */
export const maxTokenLength = 8192;

/** A JWS compact serialization split into its decoded header and payload. */
export interface DecodedJws {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
}

const compactPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Splits and decodes a compact JWS without trusting any of it yet; throws
 * `TokenInvalidError` (`too_large` or `malformed`). The signature is checked
 * later, by the caller, against a key it chose.
 */
export function decodeJws(token: string): DecodedJws {
  if (token.length > maxTokenLength) {
    throw new TokenInvalidError(
      'too_large',
      `token is ${String(token.length)} bytes long; at most ${String(maxTokenLength)} are accepted`,
    );
  }
  if (!compactPattern.test(token)) {
    throw new TokenInvalidError('malformed', 'token is not a JWS compact serialization');
  }
  const [header, payload] = token.split('.') as [string, string, string];
  return { header: decodeObject(header, 'header'), payload: decodeObject(payload, 'payload') };
}

function decodeObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch (error) {
    throw new TokenInvalidError('malformed', `token ${what} is not JSON`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenInvalidError('malformed', `token ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}
