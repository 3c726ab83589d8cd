import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { SwiftAuthError, authenticate, type SwiftSession } from './swift-auth.js';
import { SwiftRequestError } from './swift-errors.js';
import type { SwiftAuthOptions } from './swift-options.js';

export type SwiftMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

export interface SwiftRequest {
  readonly method: SwiftMethod;
  /** Below the storage URL, already encoded: `''` (the account), `/container`, `/container/key`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Always whole, so that any attempt can send it again. */
  readonly body?: Uint8Array | string;
  /** Statuses besides 2xx that are answers, not errors (404 for a lookup, 416 for a range). */
  readonly accept?: readonly number[];
}

export interface SwiftResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Must be read or destroyed by the caller. */
  readonly body: Readable;
}

/** Logs in; tests swap it to count logins or fail them. */
export type Login = () => Promise<SwiftSession>;

export interface SwiftClientOptions {
  readonly auth: SwiftAuthOptions;
  readonly dispatcher: Dispatcher;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
  /** Base of the pause between attempts: 1×, 2×, 4×… with jitter, at most 20×. */
  readonly retryDelayMs?: number;
  readonly login?: Login;
  /** The clock, for tests. */
  readonly now?: () => number;
}

/** How long before its expiry a token is renewed. */
const renewMarginMs = 60_000;

/** Worth another attempt: the store or something in front of it is busy or broken for now. */
const transientStatuses = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The few Swift REST calls the driver makes, with what every one of them needs: the token
 * (logged in lazily, once for all concurrent callers), a new login when the token is refused
 * (an expired token answers 401), and bounded retries with backoff on transient failures.
 * Bodies are whole buffers, so every attempt can be replayed; nothing is buffered on the
 * way back.
 */
export class SwiftClient {
  #session: Promise<SwiftSession> | undefined;
  #latest: SwiftSession | undefined;
  readonly #login: Login;

  constructor(private readonly options: SwiftClientOptions) {
    this.#login =
      options.login ??
      (() => authenticate(options.auth, options.dispatcher, options.requestTimeoutMs));
  }

  /** The current login, logging in when there is none. */
  session(): Promise<SwiftSession> {
    if (this.#latest !== undefined && this.#expiresSoon(this.#latest)) this.#forget(this.#latest);
    if (this.#session === undefined) {
      const login = this.#login().then((session) => {
        this.#latest = session;
        return session;
      });
      this.#session = login;
      // A failed login is not kept: the next request tries again.
      login.catch(() => {
        if (this.#session === login) this.#session = undefined;
      });
    }
    return this.#session;
  }

  /** Sends `call`; resolves with a 2xx or accepted answer, else rejects with `SwiftRequestError`. */
  async send(call: SwiftRequest): Promise<SwiftResponse> {
    let loggedInAgain = false;
    for (let attempt = 1; ; attempt += 1) {
      let session: SwiftSession;
      try {
        session = await this.session();
      } catch (error) {
        // A refused login is final; an auth service that is down or slow is worth another try.
        if (!isTransientLoginFailure(error) || attempt >= this.options.maxAttempts) throw error;
        await this.#pause(attempt);
        continue;
      }
      let response: Dispatcher.ResponseData;
      try {
        response = await this.#attempt(session, call);
      } catch (error) {
        if (attempt >= this.options.maxAttempts) {
          throw new SwiftRequestError(call.method, call.path, undefined, errorText(error), error);
        }
        await this.#pause(attempt);
        continue;
      }
      const status = response.statusCode;
      if ((status >= 200 && status < 300) || call.accept?.includes(status) === true) {
        return { status, headers: response.headers, body: response.body };
      }
      const text = await bodyText(response.body);
      if (status === 401 && !loggedInAgain) {
        // The token expired or was revoked: log in again, once per call.
        loggedInAgain = true;
        this.#forget(session);
        attempt -= 1;
        continue;
      }
      if (!transientStatuses.has(status) || attempt >= this.options.maxAttempts) {
        throw new SwiftRequestError(call.method, call.path, status, text);
      }
      await this.#pause(attempt);
    }
  }

  /** `send`, then the whole body as text (listings, manifests, small objects). */
  async text(call: SwiftRequest): Promise<{ status: number; text: string }> {
    const response = await this.send(call);
    return { status: response.status, text: await bodyText(response.body) };
  }

  /** `send`, dropping the body: for answers that are all in the status and headers. */
  async call(call: SwiftRequest): Promise<Omit<SwiftResponse, 'body'>> {
    const response = await this.send(call);
    response.body.resume();
    return { status: response.status, headers: response.headers };
  }

  #attempt(session: SwiftSession, call: SwiftRequest): Promise<Dispatcher.ResponseData> {
    const url = new URL(`${session.storageUrl}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      url.searchParams.set(name, value);
    }
    return request(url, {
      method: call.method,
      headers: { ...call.headers, 'x-auth-token': session.token },
      body: call.body ?? null,
      dispatcher: this.options.dispatcher,
      headersTimeout: this.options.requestTimeoutMs,
    });
  }

  /** A Keystone token about to expire is renewed before use, not after a refused request. */
  #expiresSoon(session: SwiftSession): boolean {
    const expiresAt = session.expiresAt?.getTime();
    return expiresAt !== undefined && expiresAt - (this.options.now ?? Date.now)() < renewMarginMs;
  }

  /** Drops `stale` unless a newer login replaced it already (another caller's 401). */
  #forget(stale: SwiftSession): void {
    if (this.#latest !== stale) return;
    this.#latest = undefined;
    this.#session = undefined;
  }

  async #pause(attempt: number): Promise<void> {
    const base = this.options.retryDelayMs ?? 100;
    const delay = Math.min(base * 2 ** (attempt - 1), base * 20);
    await sleep(delay / 2 + Math.random() * (delay / 2));
  }
}

/** The body as text; the socket goes back to the pool either way. */
export async function bodyText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The first value of a response header. */
export function headerValue(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function isTransientLoginFailure(error: unknown): boolean {
  return (
    error instanceof SwiftAuthError &&
    (error.status === undefined || transientStatuses.has(error.status))
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
