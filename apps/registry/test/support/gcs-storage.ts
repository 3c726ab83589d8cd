import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage, type Bucket } from '@google-cloud/storage';
import { startGcsEmulator, type RunningGcsEmulator } from '@lading/registry-peers';

/** How a test server's config gives the driver its service account. */
export type GcsCredentialsForm = 'keyfile' | 'credentials';

/** The `storage: gcs:` section for a test server, the emulator behind it, and how to stop it. */
export interface GcsStorage {
  readonly description: string;
  /** The running GCS JSON API emulator, on 127.0.0.1. */
  readonly emulator: RunningGcsEmulator;
  readonly bucket: string;
  /** The driver's `rootdirectory`, without slashes. */
  readonly rootdirectory: string;
  /** The service account's JSON key file, as Google hands it out (`keyfile:`). */
  readonly keyFile: string;
  /**
   * YAML lines of the gcs driver's parameters, indented for `storage:\n  gcs:\n`, with the
   * service account as `keyfile:` or inline as `credentials:`; `overrides` replace keys or
   * add more.
   */
  parameters(
    form: GcsCredentialsForm,
    overrides?: Readonly<Record<string, string | number>>,
  ): string;
  /** The bucket through the SDK, to look at what the driver stored, behind its back. */
  readonly behindTheDriver: Bucket;
  /** The object name of a storage path (`/docker/registry/v2/…`). */
  objectName(path: string): string;
  stop(): Promise<void>;
}

/**
 * A bucket on Lading's GCS emulator started here on 127.0.0.1, for the reference server's gcs
 * driver, with the emulator's service account (whose V4 signed URLs it verifies) written out as
 * a key file, and chunks of 256 KiB, GCS's smallest, so that every layer takes many.
 */
export async function gcsStorage(): Promise<GcsStorage> {
  const emulator = await startGcsEmulator();
  let keyDirectory: string | undefined;
  try {
    const bucket = await emulator.createBucket();
    const rootdirectory = `lading-e2e-${randomBytes(6).toString('hex')}`;
    keyDirectory = await mkdtemp(join(tmpdir(), 'lading-gcs-key-'));
    const key = {
      type: 'service_account',
      project_id: emulator.projectId,
      client_email: emulator.serviceAccount.client_email,
      private_key: emulator.serviceAccount.private_key,
    };
    const keyFile = join(keyDirectory, 'service-account.json');
    await writeFile(keyFile, JSON.stringify(key, null, 2), { mode: 0o600 });
    const base: Record<string, string | number> = {
      bucket,
      rootdirectory,
      endpoint: emulator.endpoint,
      chunksize: 262_144,
    };
    const removeKey = keyDirectory;
    return {
      description: `the GCS emulator at ${emulator.endpoint}, bucket ${bucket}`,
      emulator,
      bucket,
      rootdirectory,
      keyFile,
      parameters: (form, overrides = {}) =>
        yamlLines({ ...base, ...(form === 'keyfile' ? { keyfile: keyFile } : {}), ...overrides }) +
        (form === 'credentials' ? `    credentials:\n${yamlLines(key, '      ')}` : ''),
      // No credentials: the SDK sends no token to a custom endpoint, and the emulator wants none.
      behindTheDriver: new Storage({
        apiEndpoint: emulator.endpoint,
        projectId: emulator.projectId,
      }).bucket(bucket),
      objectName: (path) => `${rootdirectory}${path}`,
      stop: async () => {
        await emulator.stop();
        await rm(removeKey, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator.stop();
    if (keyDirectory !== undefined) await rm(keyDirectory, { recursive: true, force: true });
    throw error;
  }
}

function yamlLines(parameters: Readonly<Record<string, string | number>>, indent = '    '): string {
  return Object.entries(parameters)
    .map(([key, value]) => `${indent}${key}: ${JSON.stringify(value)}\n`)
    .join('');
}
