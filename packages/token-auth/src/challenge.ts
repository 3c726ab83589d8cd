import type { Access } from './access.js';
import { formatScopes } from './scope.js';

export interface BearerChallengeOptions {
  /** The token endpoint the client should ask. */
  readonly realm: string;
  /** The audience to ask for (`service` query parameter, `aud` claim). */
  readonly service: string;
  /** What the request needed; left out when empty (`/v2/`). */
  readonly scope?: readonly Access[];
  /** RFC 6750 §3.1: why a presented token was not enough. */
  readonly error?: 'invalid_token' | 'insufficient_scope';
}

/**
 * The `WWW-Authenticate` value of a registry that wants a bearer token:
 * `Bearer realm="…",service="…",scope="repository:a:pull repository:b:pull,push"`.
 */
export function bearerChallenge(options: BearerChallengeOptions): string {
  const params: [string, string][] = [
    ['realm', options.realm],
    ['service', options.service],
  ];
  if (options.scope !== undefined && options.scope.length > 0) {
    params.push(['scope', formatScopes(options.scope)]);
  }
  if (options.error !== undefined) params.push(['error', options.error]);
  return `Bearer ${params.map(([name, value]) => `${name}=${quoteString(value)}`).join(',')}`;
}

/** The `WWW-Authenticate` value asking for HTTP Basic credentials. */
export function basicChallenge(realm: string): string {
  return `Basic realm=${quoteString(realm)}`;
}

/**
 * An RFC 9110 quoted-string. Control characters cannot be sent in a header at
 * all, so they are refused rather than let through to split a response.
 */
function quoteString(value: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) {
    throw new TypeError(`challenge parameter ${JSON.stringify(value)} has a control character`);
  }
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

export interface Challenge {
  /** As written (`Bearer`); compare it case-insensitively. */
  readonly scheme: string;
  /** Parameter names in lower case; values unquoted. */
  readonly params: Record<string, string>;
}

const tchar = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * The first challenge of a `WWW-Authenticate` value: its scheme and
 * parameters, quoted values unescaped (so a scope list with commas or a realm
 * with `\"` survives). `undefined` when the value is not a challenge with
 * `name=value` parameters, or names a parameter twice (RFC 9110 §11.2 forbids
 * it, and a second `realm` must not silently win).
 */
export function parseChallenge(header: string): Challenge | undefined {
  const scanner = new Scanner(header);
  scanner.skipSpace();
  const scheme = scanner.token();
  if (scheme === '') return undefined;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  if (scanner.done()) return { scheme, params };
  if (!scanner.skipSpace()) return undefined;
  while (!scanner.done()) {
    const name = scanner.token().toLowerCase();
    scanner.skipSpace();
    if (name === '' || !scanner.take('=')) {
      // A new challenge (`…, Basic realm="x"`) ends this one; anything else is malformed.
      if (name !== '' && Object.keys(params).length > 0) break;
      return undefined;
    }
    scanner.skipSpace();
    const value = scanner.peek() === '"' ? scanner.quoted() : scanner.token() || undefined;
    if (value === undefined) return undefined;
    if (name in params) return undefined;
    params[name] = value;
    scanner.skipSpace();
    if (scanner.done()) break;
    if (!scanner.take(',')) return undefined;
    while (scanner.skipSpace() || scanner.take(',')) {
      // Empty list elements (`a=1, ,b=2`) are allowed by the list syntax.
    }
  }
  return { scheme, params: { ...params } };
}

class Scanner {
  position = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.position >= this.text.length;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  take(char: string): boolean {
    if (this.text[this.position] !== char) return false;
    this.position++;
    return true;
  }

  /** Skips spaces and tabs; whether there were any. */
  skipSpace(): boolean {
    const start = this.position;
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
    return this.position > start;
  }

  token(): string {
    const start = this.position;
    while (!this.done() && tchar.test(this.text.charAt(this.position))) this.position++;
    return this.text.slice(start, this.position);
  }

  /** A quoted-string after its opening quote is seen; `undefined` if it never closes. */
  quoted(): string | undefined {
    this.position++;
    let value = '';
    while (!this.done()) {
      const char = this.text.charAt(this.position++);
      if (char === '"') return value;
      if (char === '\\') {
        if (this.done()) return undefined;
        value += this.text.charAt(this.position++);
      } else {
        value += char;
      }
    }
    return undefined;
  }
}
