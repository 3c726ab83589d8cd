import { request, type Dispatcher } from 'undici';
import type { AuthVersion, EndpointType, SwiftAuthOptions } from './swift-options.js';

/** What a login gives: the token and the object-store URL it is good for. */
export interface SwiftSession {
  readonly token: string;
  /** The account's storage URL, e.g. https://swift.example/v1/AUTH_1234, no trailing slash. */
  readonly storageUrl: string;
  /** The project (tenant) id the token is scoped to, when the auth service says (Keystone). */
  readonly tenantId?: string;
  /** When the token expires, when the auth service says (Keystone). */
  readonly expiresAt?: Date;
}

/** A login that failed: says which auth version and URL, the HTTP status, and the service's own message; never the password. */
export class SwiftAuthError extends Error {
  /** The auth service's HTTP status when it refused; undefined when it never answered or answered nonsense. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SwiftAuthError';
    this.status = status;
  }
}

/** 1, 2 or 3: `configured` unless it is 0; for 0, guessed from the URL as ncw/swift (which distribution uses) does: a path containing "v3" → 3, "v2" → 2, else 1. */
export function resolveAuthVersion(
  authUrl: string,
  configured: AuthVersion | undefined,
): 1 | 2 | 3 {
  if (configured !== undefined && configured !== 0) return configured;
  const path = pathOf(authUrl);
  if (path.includes('v3')) return 3;
  if (path.includes('v2')) return 2;
  return 1;
}

/** Logs in once. `timeoutMs` bounds the whole exchange (use undici's headersTimeout/bodyTimeout or an AbortSignal). */
export async function authenticate(
  options: SwiftAuthOptions,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<SwiftSession> {
  switch (resolveAuthVersion(options.authUrl, options.authVersion)) {
    case 1:
      return loginV1(options, dispatcher, timeoutMs);
    case 2:
      return loginV2(options, dispatcher, timeoutMs);
    case 3:
      return loginV3(options, dispatcher, timeoutMs);
  }
}

// ---------------------------------------------------------------------------------------------
// The three logins

async function loginV1(
  options: SwiftAuthOptions,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<SwiftSession> {
  const call: AuthCall = {
    version: 1,
    method: 'GET',
    url: parseAuthUrl(1, options.authUrl).toString(),
    headers: { 'x-auth-user': options.username, 'x-auth-key': options.password },
    password: options.password,
  };
  const answer = await exchange(call, dispatcher, timeoutMs);
  // TempAuth answers 200, some v1 front ends (swauth, proxies) 204.
  if (answer.status !== 200 && answer.status !== 204) throw refusal(call, answer);
  const token = firstHeader(answer.headers, 'x-auth-token');
  const storageUrl = firstHeader(answer.headers, 'x-storage-url');
  if (token === undefined || storageUrl === undefined) {
    const missing = ['X-Auth-Token', 'X-Storage-Url'].filter(
      (name) => firstHeader(answer.headers, name.toLowerCase()) === undefined,
    );
    throw failure(call, `the answer (HTTP ${answer.status}) has no ${missing.join(' and no ')}`);
  }
  return { token, storageUrl: withoutTrailingSlash(storageUrl) };
}

async function loginV2(
  options: SwiftAuthOptions,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<SwiftSession> {
  const url = keystoneUrl(2, options.authUrl, 'tokens');
  if (given(options.trustId) !== undefined) {
    // Keystone v2.0 has no trusts; dropping it quietly would log in as the user, not under the trust.
    throw new SwiftAuthError(
      `${describe(2, 'POST', url)}: trustId needs Keystone v3 (authVersion 3, an …/v3 auth URL)`,
    );
  }
  const call = keystoneCall(2, url, v2RequestBody(options), options.password);
  const answer = await exchange(call, dispatcher, timeoutMs);
  if (!isSuccess(answer.status)) throw refusal(call, answer);
  const access = member(parseJson(call, answer), 'access');
  const token = member(access, 'token');
  const id = given(member(token, 'id'));
  if (id === undefined) throw failure(call, 'the answer has no access.token.id');
  const services = objectStoreServices(member(access, 'serviceCatalog'));
  const storageUrl = chooseStorageUrl(call, services, services.flatMap(v2Endpoints), options);
  return sessionOf(id, storageUrl, member(member(token, 'tenant'), 'id'), member(token, 'expires'));
}

async function loginV3(
  options: SwiftAuthOptions,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<SwiftSession> {
  const url = keystoneUrl(3, options.authUrl, 'auth/tokens');
  const call = keystoneCall(3, url, v3RequestBody(options), options.password);
  const answer = await exchange(call, dispatcher, timeoutMs);
  if (!isSuccess(answer.status)) throw refusal(call, answer);
  // v3 puts the token itself in a header; the body only describes it.
  const id = firstHeader(answer.headers, 'x-subject-token');
  if (id === undefined) throw failure(call, 'the answer has no X-Subject-Token header');
  const token = member(parseJson(call, answer), 'token');
  const services = objectStoreServices(member(token, 'catalog'));
  const storageUrl = chooseStorageUrl(call, services, services.flatMap(v3Endpoints), options);
  return sessionOf(
    id,
    storageUrl,
    member(member(token, 'project'), 'id'),
    member(token, 'expires_at'),
  );
}

function sessionOf(
  token: string,
  storageUrl: string,
  tenantId: unknown,
  expires: unknown,
): SwiftSession {
  const session: { -readonly [K in keyof SwiftSession]: SwiftSession[K] } = { token, storageUrl };
  const tenant = given(tenantId);
  const expiresAt = dateOf(expires);
  if (tenant !== undefined) session.tenantId = tenant;
  if (expiresAt !== undefined) session.expiresAt = expiresAt;
  return session;
}

// ---------------------------------------------------------------------------------------------
// Keystone request bodies (JSON.stringify leaves out the members that are undefined)

function v2RequestBody(options: SwiftAuthOptions): object {
  return {
    auth: {
      passwordCredentials: { username: options.username, password: options.password },
      tenantName: given(options.tenant),
      tenantId: given(options.tenantId),
    },
  };
}

function v3RequestBody(options: SwiftAuthOptions): object {
  const user = {
    name: options.username,
    password: options.password,
    domain: userDomain(options),
  };
  return {
    auth: {
      identity: { methods: ['password'], password: { user } },
      scope: v3Scope(options),
    },
  };
}

/**
 * Trust first, then project by id, then by name; with none of them no scope at all, so that
 * Keystone scopes the token to the user's default project.
 */
function v3Scope(options: SwiftAuthOptions): object | undefined {
  const trustId = given(options.trustId);
  if (trustId !== undefined) return { 'OS-TRUST:trust': { id: trustId } };
  const tenantId = given(options.tenantId);
  if (tenantId !== undefined) return { project: { id: tenantId } };
  const tenant = given(options.tenant);
  if (tenant === undefined) return undefined;
  // Project names are unique only within a domain; the user's is the usual one.
  const domain =
    domainReference(options.tenantDomainId, options.tenantDomain) ?? userDomain(options);
  return { project: { name: tenant, domain } };
}

function userDomain(options: SwiftAuthOptions): DomainReference | undefined {
  return domainReference(options.domainId, options.domain);
}

type DomainReference = { id: string } | { name: string };

/** An id names a domain for certain; a name only if nobody renamed it, so the id wins. */
function domainReference(
  id: string | undefined,
  name: string | undefined,
): DomainReference | undefined {
  const domainId = given(id);
  if (domainId !== undefined) return { id: domainId };
  const domainName = given(name);
  return domainName === undefined ? undefined : { name: domainName };
}

// ---------------------------------------------------------------------------------------------
// The service catalog

/** One URL of the object-store service, the same shape for v2 and v3 catalogs. */
interface CatalogEndpoint {
  readonly interface: string;
  /** v3 endpoints carry `region_id` and the older `region`; either may be what was configured. */
  readonly regions: readonly string[];
  readonly url: string;
}

function objectStoreServices(catalog: unknown): unknown[] {
  return arrayOf(catalog).filter((service) => member(service, 'type') === 'object-store');
}

/** v2 lists the three interfaces as three members of each endpoint. */
const v2UrlMembers: Readonly<Record<EndpointType, string>> = {
  public: 'publicURL',
  internal: 'internalURL',
  admin: 'adminURL',
};

function v2Endpoints(service: unknown): CatalogEndpoint[] {
  return arrayOf(member(service, 'endpoints')).flatMap((endpoint) => {
    const regions = presentValues([member(endpoint, 'region')]);
    return Object.entries(v2UrlMembers).flatMap(([anInterface, urlMember]) => {
      const url = given(member(endpoint, urlMember));
      return url === undefined ? [] : [{ interface: anInterface, regions, url }];
    });
  });
}

function v3Endpoints(service: unknown): CatalogEndpoint[] {
  return arrayOf(member(service, 'endpoints')).flatMap((endpoint) => {
    const anInterface = given(member(endpoint, 'interface'));
    const url = given(member(endpoint, 'url'));
    if (anInterface === undefined || url === undefined) return [];
    const regions = presentValues([member(endpoint, 'region_id'), member(endpoint, 'region')]);
    return [{ interface: anInterface, regions, url }];
  });
}

/** The first endpoint of the wanted interface (and region, when one is configured). */
function chooseStorageUrl(
  call: AuthCall,
  services: readonly unknown[],
  endpoints: readonly CatalogEndpoint[],
  options: SwiftAuthOptions,
): string {
  if (services.length === 0) {
    throw failure(
      call,
      'the service catalog has no object-store service (an unscoped token has no catalog: set tenant or tenantId)',
    );
  }
  const wantedInterface = options.endpointType ?? 'public';
  const region = given(options.region);
  const chosen = endpoints.find(
    (endpoint) =>
      endpoint.interface === wantedInterface &&
      (region === undefined || endpoint.regions.includes(region)),
  );
  if (chosen === undefined) {
    const wanted = region === undefined ? wantedInterface : `${wantedInterface} in ${region}`;
    throw failure(
      call,
      `the catalog has no object-store endpoint ${wanted}; it offers ${offered(endpoints)}`,
    );
  }
  return withoutTrailingSlash(chosen.url);
}

/** What the catalog does have, for an error that lets the reader fix region or endpointType. */
function offered(endpoints: readonly CatalogEndpoint[]): string {
  if (endpoints.length === 0) return 'no endpoints at all';
  const each = endpoints.map(
    (endpoint) => `${endpoint.interface} in ${endpoint.regions.join('/') || '(no region)'}`,
  );
  return [...new Set(each)].join(', ');
}

// ---------------------------------------------------------------------------------------------
// The HTTP exchange

/** One login request, and what its error messages say about it. */
interface AuthCall {
  readonly version: 1 | 2 | 3;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Only to keep it out of messages that quote the service. */
  readonly password: string;
}

type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

interface Answer {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly text: string;
}

function keystoneCall(version: 2 | 3, url: string, body: object, password: string): AuthCall {
  return {
    version,
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    password,
  };
}

/**
 * Sends the call and reads the whole answer. Reading it all, always, is what gives the socket
 * back to the caller's pool; auth answers are small, and the signal bounds them in time too.
 */
async function exchange(
  call: AuthCall,
  dispatcher: Dispatcher,
  timeoutMs: number,
): Promise<Answer> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await request(call.url, {
      method: call.method,
      headers: call.headers,
      body: call.body ?? null,
      dispatcher,
      signal,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    const reason = signal.aborted
      ? `no answer within ${timeoutMs} ms`
      : `request failed: ${errorText(error)}`;
    throw failure(call, reason, undefined, error);
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function parseJson(call: AuthCall, answer: Answer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch (error) {
    throw failure(call, `the answer (HTTP ${answer.status}) is not valid JSON`, undefined, error);
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

function failure(call: AuthCall, reason: string, status?: number, cause?: unknown): SwiftAuthError {
  const message = `${describe(call.version, call.method, call.url)}: ${reason}`;
  return new SwiftAuthError(message, status, cause === undefined ? undefined : { cause });
}

/** The service said no: its status, and its own words. */
function refusal(call: AuthCall, answer: Answer): SwiftAuthError {
  const said = withoutPassword(serviceMessage(answer.text), call.password);
  return failure(call, `HTTP ${answer.status}${said === '' ? '' : `: ${said}`}`, answer.status);
}

const maxQuotedChars = 300;

/** Keystone's `{"error":{"message"}}` when it sent one, else the start of the body. */
function serviceMessage(body: string): string {
  let message: unknown;
  try {
    message = member(member(JSON.parse(body), 'error'), 'message');
  } catch {
    // Not JSON (TempAuth answers in HTML or plain text): quote the body itself.
  }
  const text = typeof message === 'string' ? message : body;
  return text.replace(/\s+/g, ' ').trim().slice(0, maxQuotedChars);
}

/**
 * A service could echo what it was sent. Very short passwords are left alone: blanking every
 * "a" in a message would hide more than it protects.
 */
function withoutPassword(text: string, password: string): string {
  return password.length < 4 ? text : text.split(password).join('***');
}

function describe(version: 1 | 2 | 3, method: string, url: string): string {
  return `Swift auth v${version} ${method} ${url}`;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici's network errors keep the useful part (ECONNREFUSED …) in the cause.
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

// ---------------------------------------------------------------------------------------------
// URLs

function parseAuthUrl(version: 1 | 2 | 3, authUrl: string): URL {
  try {
    return new URL(authUrl);
  } catch (error) {
    throw new SwiftAuthError(
      `Swift auth v${version}: authUrl "${authUrl}" is not a URL`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

/** `…/v3` → `…/v3/auth/tokens`; a URL that already ends in the suffix is kept. */
function keystoneUrl(version: 2 | 3, authUrl: string, suffix: string): string {
  const url = parseAuthUrl(version, authUrl);
  const path = withoutTrailingSlash(url.pathname);
  url.pathname = path.endsWith(`/${suffix}`) ? path : `${path}/${suffix}`;
  return url.toString();
}

/** The path of the auth URL; the whole string when it does not parse (authenticate says so later). */
function pathOf(authUrl: string): string {
  try {
    return new URL(authUrl).pathname;
  } catch {
    return authUrl;
  }
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------
// Reading untyped JSON and headers

function member(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return (value as Record<string, unknown>)[name];
}

function arrayOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** A non-empty string, else undefined: configuration and catalogs both use '' for "not set". */
function given(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function presentValues(values: readonly unknown[]): string[] {
  const present = values.map(given).filter((value) => value !== undefined);
  return [...new Set(present)];
}

function dateOf(value: unknown): Date | undefined {
  const text = given(value);
  if (text === undefined) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function firstHeader(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return given(Array.isArray(value) ? value[0] : value);
}
