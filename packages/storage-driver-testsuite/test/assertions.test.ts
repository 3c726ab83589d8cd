import { PathNotFoundError } from '@lading/storage-driver';
import { createStubDriver } from './stub-driver.js';
import { expect } from 'chai';
import { expectStorageError, sizeLabel, storageErrorOf } from '../src/assertions.js';
import { resolveOptions } from '../src/options.js';

describe('suite assertions', () => {
  const driver = createStubDriver();

  async function failureOf(check: Promise<void>): Promise<string> {
    try {
      await check;
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the check passed');
  }

  it('accept a storage error of the right code that names driver and path', async () => {
    const error = new PathNotFoundError('/x', { driverName: 'stub' });
    await expectStorageError(driver, Promise.reject(error), 'PATH_NOT_FOUND', '/x');
  });

  it('fail when the call succeeds', async () => {
    expect(
      await failureOf(expectStorageError(driver, Promise.resolve(), 'PATH_NOT_FOUND')),
    ).to.contain('the call succeeded');
  });

  it('fail on a foreign error, another code, no driver name or another path', async () => {
    expect(
      await failureOf(
        expectStorageError(driver, Promise.reject(new Error('boom')), 'PATH_NOT_FOUND'),
      ),
    ).to.contain('boom');
    const unnamed = new PathNotFoundError('/x');
    expect(
      await failureOf(expectStorageError(driver, Promise.reject(unnamed), 'PATH_NOT_FOUND')),
    ).to.contain('names the driver');
    const named = new PathNotFoundError('/x', { driverName: 'stub' });
    expect(
      await failureOf(expectStorageError(driver, Promise.reject(named), 'INVALID_PATH')),
    ).to.contain('PATH_NOT_FOUND');
    expect(
      await failureOf(expectStorageError(driver, Promise.reject(named), 'PATH_NOT_FOUND', '/y')),
    ).to.contain('names the path');
  });

  it('label sizes for test titles', () => {
    expect(sizeLabel(0)).to.equal('0 B');
    expect(sizeLabel(1)).to.equal('1 B');
    expect(sizeLabel(32 * 1024)).to.equal('32 KiB');
    expect(sizeLabel(1500)).to.equal('1500 B');
    expect(sizeLabel(5 * 1024 * 1024 + 1)).to.equal('5 MiB + 1 B');
    expect(sizeLabel(64 * 1024 * 1024)).to.equal('64 MiB');
  });

  it('resolve options over their defaults', () => {
    const options = resolveOptions({ largeContentSize: 8, expectRedirects: true });
    expect(options.largeContentSize).to.equal(8);
    expect(options.expectRedirects).to.equal(true);
    expect(options.manyEntries).to.equal(1100);
    expect(options.timeoutMs).to.equal(120_000);
  });
});

describe('storageErrorOf', () => {
  it('returns the storage error a call rejects with', async () => {
    const error = new PathNotFoundError('/x');
    expect(await storageErrorOf(Promise.reject(error))).to.equal(error);
  });

  it('fails when the call succeeds or rejects with something else', async () => {
    for (const [operation, message] of [
      [Promise.resolve(1), 'the call succeeded'],
      [Promise.reject(new Error('plain')), 'got Error: plain'],
    ] as const) {
      try {
        await storageErrorOf(operation);
        throw new Error('storageErrorOf should fail');
      } catch (error) {
        expect((error as Error).message).to.contain(message);
      }
    }
  });
});
