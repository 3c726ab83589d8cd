import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bucket } from '@google-cloud/storage';
import { expect } from 'chai';
import { SignedUrls } from '../src/gcs-signed-urls.js';
import { createGcsDriver } from '../src/index.js';
import { Regulator } from '../src/regulator.js';

describe('gcs driver parts', () => {
  describe('Regulator', () => {
    it('runs at most its limit at once, the rest in order, and frees a slot on failure', async () => {
      const regulator = new Regulator(2);
      const started: number[] = [];
      const releases: (() => void)[] = [];
      const task = (id: number, fail = false) =>
        regulator.run(
          () =>
            new Promise<number>((resolve, reject) => {
              started.push(id);
              releases[id] = () => {
                if (fail) reject(new Error(`task ${String(id)}`));
                else resolve(id);
              };
            }),
        );
      const first = task(0, true);
      const second = task(1);
      const third = task(2);
      const fourth = task(3);
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).to.deep.equal([0, 1]);
      expect(regulator.running).to.equal(2);
      releases[0]?.();
      await first.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).to.deep.equal([0, 1, 2]);
      releases[1]?.();
      releases[2]?.();
      await Promise.all([second, third]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).to.deep.equal([0, 1, 2, 3]);
      releases[3]?.();
      expect(await fourth).to.equal(3);
      expect(regulator.running).to.equal(0);
    });
  });

  describe('the key file', () => {
    it('is read at start-up: a missing or foreign one names keyfile', async () => {
      const directory = await mkdtemp(join(tmpdir(), 'lading-gcs-key-'));
      try {
        const missing = join(directory, 'missing.json');
        expect(() => createGcsDriver({ bucket: 'b1b', keyFile: missing })).to.throw(
          /"keyfile".*cannot read/,
        );
        const user = join(directory, 'user.json');
        await writeFile(user, JSON.stringify({ type: 'authorized_user', refresh_token: 'x' }));
        expect(() => createGcsDriver({ bucket: 'b1b', keyFile: user })).to.throw(
          /"keyfile".*not a service-account key/,
        );
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  });

  describe('SignedUrls', () => {
    function bucketSigning(outcomes: (string | Error)[]): Bucket & { calls: number } {
      const fake = {
        calls: 0,
        file: () => ({
          getSignedUrl: (config: { version: string; action: string; expires: number }) => {
            fake.calls += 1;
            expect([config.version, config.action]).to.deep.equal(['v4', 'read']);
            const outcome = outcomes.shift();
            if (outcome instanceof Error) return Promise.reject(outcome);
            return Promise.resolve([`${String(outcome)}?expires=${String(config.expires)}`]);
          },
        }),
      };
      return fake as unknown as Bucket & { calls: number };
    }

    it('signs GET and HEAD alike, for the configured lifetime', async () => {
      const bucket = bucketSigning(['https://signed/a', 'https://signed/a']);
      const urls = new SignedUrls(bucket, 1200, () => 1_000_000);
      expect(await urls.url('GET', 'a')).to.equal('https://signed/a?expires=2200000');
      expect(await urls.url('HEAD', 'a')).to.equal('https://signed/a?expires=2200000');
    });

    it('serves through the registry for a minute when signing fails, then tries again', async () => {
      let now = 0;
      const refused = new Error('Permission iam.serviceAccounts.signBlob denied');
      const bucket = bucketSigning([refused, 'https://signed/b']);
      const told: unknown[] = [];
      const urls = new SignedUrls(
        bucket,
        1200,
        () => now,
        (error) => told.push(error),
      );
      expect(await urls.url('GET', 'b')).to.equal(undefined);
      expect(urls.lastFailure).to.equal(refused);
      expect(told).to.deep.equal([refused]);
      now = 59_999;
      expect(await urls.url('GET', 'b')).to.equal(undefined);
      expect(bucket.calls).to.equal(1);
      now = 60_000;
      expect(await urls.url('GET', 'b')).to.equal('https://signed/b?expires=1260000');
      expect(bucket.calls).to.equal(2);
      expect(told).to.have.length(1);
    });
  });
});
