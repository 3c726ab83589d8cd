/** Longer Authorization headers are refused unread: no user name and password need more. */
const maxBasicHeaderLength = 4096;

export type BasicCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'basic'; readonly username: string; readonly password: string };

const basicPattern = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * The HTTP Basic credentials (RFC 7617) of an `Authorization` header: none,
 * or `invalid` for anything else — another scheme, bad base64, no colon, an
 * oversized or repeated header. A token endpoint must not fall back to
 * anonymous when credentials were sent and could not be read.
 */
export function basicCredentials(header: string | readonly string[] | undefined): BasicCredentials {
  if (header === undefined) return { kind: 'none' };
  if (typeof header !== 'string' || header.length > maxBasicHeaderLength)
    return { kind: 'invalid' };
  const encoded = basicPattern.exec(header)?.[1];
  if (encoded === undefined) return { kind: 'invalid' };
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'invalid' };
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
