import type { RunningSwift } from '@lading/registry-peers';

/** A plain look at a container behind the driver's back, with Swift's own REST API. */
export interface RawSwift {
  /** Names of every object below `prefix`, in order. */
  names(prefix: string): Promise<string[]>;
  head(name: string): Promise<Headers | undefined>;
  /** The segment names of a Static Large Object manifest. */
  segments(name: string): Promise<string[]>;
  put(name: string, body: Uint8Array, headers?: Record<string, string>): Promise<void>;
  account(): Promise<Headers>;
  container(): Promise<Headers>;
  /** POSTs metadata headers to the account. */
  setAccount(headers: Record<string, string>): Promise<void>;
}

export async function rawSwift(running: RunningSwift, container: string): Promise<RawSwift> {
  const login = await fetch(running.swift.authUrl, {
    headers: { 'x-auth-user': running.swift.user, 'x-auth-key': running.swift.key },
  });
  const token = String(login.headers.get('x-auth-token'));
  const storageUrl = String(login.headers.get('x-storage-url'));
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${storageUrl}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), 'x-auth-token': token },
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(`${init.method ?? 'GET'} ${path}: ${String(response.status)}`);
    }
    return response;
  };
  const object = (name: string) => `/${container}/${name}`;
  return {
    async names(prefix) {
      const response = await call(`/${container}?format=json&prefix=${encodeURIComponent(prefix)}`);
      if (response.status === 204) return [];
      return ((await response.json()) as { name: string }[]).map((entry) => entry.name);
    },
    async head(name) {
      const response = await call(object(name), { method: 'HEAD' });
      return response.status === 404 ? undefined : response.headers;
    },
    async segments(name) {
      const response = await call(`${object(name)}?multipart-manifest=get`);
      const listed = (await response.json()) as { name: string }[];
      return listed.map((entry) => entry.name.slice(container.length + 2));
    },
    async put(name, body, headers = {}) {
      await call(object(name), { method: 'PUT', body, headers });
    },
    async account() {
      return (await call('', { method: 'HEAD' })).headers;
    },
    async container() {
      return (await call(`/${container}`, { method: 'HEAD' })).headers;
    },
    async setAccount(headers) {
      await call('', { method: 'POST', headers });
    },
  };
}
