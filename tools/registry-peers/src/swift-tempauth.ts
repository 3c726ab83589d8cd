/** What a TempAuth v1 login returns. */
export interface SwiftSession {
  /** X-Auth-Token, valid for a day. */
  token: string;
  /** X-Storage-Url: http://HOST:PORT/v1/AUTH_<account>. */
  storageUrl: string;
}

/** `GET /auth/v1.0` with X-Auth-User `account:user` and X-Auth-Key; rejects unless it is 200. */
export async function tempAuth(authUrl: string, user: string, key: string): Promise<SwiftSession> {
  const response = await fetch(authUrl, {
    headers: { 'X-Auth-User': user, 'X-Auth-Key': key },
    signal: AbortSignal.timeout(5_000),
  });
  const body = await response.text();
  const token = response.headers.get('X-Auth-Token');
  const storageUrl = response.headers.get('X-Storage-Url');
  if (response.status !== 200 || token === null || storageUrl === null) {
    throw new Error(`TempAuth GET ${authUrl} as ${user}: ${String(response.status)} ${body}`);
  }
  return { token, storageUrl };
}
