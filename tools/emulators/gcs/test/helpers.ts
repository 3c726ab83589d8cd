import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage, type Bucket } from '@google-cloud/storage';
import { expect } from 'chai';
import { startGcsEmulator, type RunningGcsEmulator } from '../src/index.js';

/** A service account: its key pair, as Google's JSON key file has the private half. */
export interface TestServiceAccount {
  client_email: string;
  private_key: string;
  publicKeyPem: string;
}

export function newServiceAccount(name = 'lading-test'): TestServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    client_email: `${name}@test-project.iam.gserviceaccount.com`,
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** An emulator in a fresh temp dir, the SDK pointed at it, and a way to restart it in place. */
export interface TestEmulator {
  emulator: RunningGcsEmulator;
  directory: string;
  account: TestServiceAccount;
  storage: Storage;
  /** A new bucket with a random name, through the SDK. */
  bucket(): Promise<Bucket>;
  /** Closes the emulator and starts it again on the same directory and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestEmulator(): Promise<TestEmulator> {
  const directory = await mkdtemp(join(tmpdir(), 'lading-gcs-emulator-test-'));
  const account = newServiceAccount();
  const serviceAccounts = [
    { clientEmail: account.client_email, publicKeyPem: account.publicKeyPem },
  ];
  const state = { emulator: await startGcsEmulator({ directory, serviceAccounts }) };
  const port = Number(new URL(state.emulator.endpoint).port);
  const storage = sdkClient(state.emulator.endpoint, account);
  return {
    get emulator() {
      return state.emulator;
    },
    directory,
    account,
    storage,
    bucket: async () => (await storage.createBucket(`lading-${randomBytes(6).toString('hex')}`))[0],
    restart: async () => {
      await state.emulator.close();
      state.emulator = await startGcsEmulator({ directory, port, serviceAccounts });
    },
    stop: async () => {
      await state.emulator.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The SDK as a driver would make it: with a custom apiEndpoint it sends no OAuth token. */
export function sdkClient(endpoint: string, account: TestServiceAccount): Storage {
  return new Storage({
    apiEndpoint: endpoint,
    projectId: 'test',
    credentials: { client_email: account.client_email, private_key: account.private_key },
    // One try: a retry would hide the first answer, which is what the tests check.
    retryOptions: { autoRetry: false },
  });
}

/** The status and message the SDK's error carries; fails the test if `promise` resolves. */
export async function apiFailure(
  promise: Promise<unknown>,
): Promise<{ code: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code?: unknown; message: string };
    return { code, message };
  }
  return expect.fail('must be rejected');
}

/** Google's JSON error shape, checked, and its code and message. */
export async function jsonError(
  response: Response,
): Promise<{ code: number; message: string; reason: string }> {
  const body = (await response.json()) as {
    error: {
      code: number;
      message: string;
      errors: { message: string; domain: string; reason: string }[];
    };
  };
  expect(body.error.code).to.equal(response.status);
  expect(body.error.errors).to.have.length(1);
  expect(body.error.errors[0]?.message).to.equal(body.error.message);
  expect(body.error.errors[0]?.domain).to.equal('global');
  return {
    code: body.error.code,
    message: body.error.message,
    reason: body.error.errors[0]?.reason ?? '',
  };
}

/** `count` bytes that differ from one position to the next, so misplaced bytes show. */
export function patternBytes(count: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(count);
  for (let i = 0; i < count; i += 1) bytes[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return bytes;
}

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** The JSON API path of an object: the name is one URL-encoded segment. */
export function objectPath(bucket: string, name: string): string {
  return `/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`;
}
