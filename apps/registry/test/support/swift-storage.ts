import { randomBytes } from 'node:crypto';
import { startSwift, type RunningSwift } from '@lading/registry-peers';

/** The `storage: swift:` section for a test server, the Swift behind it, and how to stop it. */
export interface SwiftStorage {
  readonly description: string;
  /** The running Swift: a single node on 127.0.0.1 with TempAuth. */
  readonly swift: RunningSwift;
  readonly container: string;
  /** The driver's `prefix`, without slashes. */
  readonly prefix: string;
  /**
   * YAML lines of the swift driver's parameters, indented for `storage:\n  swift:\n`;
   * `overrides` replace keys or add more.
   */
  parameters(overrides?: Readonly<Record<string, string | number>>): string;
  /**
   * The URL of the object holding a storage path (`/docker/registry/v2/…`), and a token to
   * read it with: to look at what the driver stored, behind its back.
   */
  objectBehindTheDriver(path: string): Promise<{ url: string; token: string }>;
  stop(): Promise<void>;
}

/**
 * A container on a real OpenStack Swift started here on 127.0.0.1, for the reference
 * server's swift driver, logged in with TempAuth; with a Temp-URL key (`secretkey`) so
 * that blob downloads are redirected, and segments of 5 MiB, small enough for a test layer
 * to need several.
 */
export async function swiftStorage(): Promise<SwiftStorage> {
  const swift = await startSwift();
  try {
    const container = await swift.createBucket();
    const prefix = `lading-e2e-${randomBytes(6).toString('hex')}`;
    const base: Record<string, string | number> = {
      authurl: swift.swift.authUrl,
      username: swift.swift.user,
      password: swift.swift.key,
      container,
      prefix,
      secretkey: randomBytes(16).toString('hex'),
      chunksize: 5 * 1024 * 1024,
    };
    return {
      description: `OpenStack Swift at ${swift.swift.authUrl}, container ${container}`,
      swift,
      container,
      prefix,
      parameters: (overrides = {}) => yamlLines({ ...base, ...overrides }),
      objectBehindTheDriver: async (path) => {
        const { token, storageUrl } = await tempAuth(swift);
        const name = `${prefix}/files${path}`.split('/').map(encodeURIComponent).join('/');
        return { url: `${storageUrl}/${container}/${name}`, token };
      },
      stop: () => swift.stop(),
    };
  } catch (error) {
    await swift.stop();
    throw error;
  }
}

async function tempAuth(swift: RunningSwift): Promise<{ token: string; storageUrl: string }> {
  const response = await fetch(swift.swift.authUrl, {
    headers: { 'x-auth-user': swift.swift.user, 'x-auth-key': swift.swift.key },
  });
  const token = response.headers.get('x-auth-token');
  const storageUrl = response.headers.get('x-storage-url');
  if (response.status !== 200 || token === null || storageUrl === null) {
    throw new Error(`TempAuth login: ${String(response.status)} ${await response.text()}`);
  }
  return { token, storageUrl };
}

function yamlLines(parameters: Readonly<Record<string, string | number>>): string {
  return Object.entries(parameters)
    .map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`)
    .join('');
}
