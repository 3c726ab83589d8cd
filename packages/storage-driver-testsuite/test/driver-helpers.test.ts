import type { FileWriter, StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import { patternBytes, waitUntil, writePatternFile } from '../src/index.js';
import { createStubDriver } from './stub-driver.js';

describe('driver test helpers', () => {
  it('writePatternFile writes the pattern a MiB at a time to a fresh writer, and commits', async () => {
    const chunks: number[] = [];
    const written: Buffer[] = [];
    let opened: [string, boolean | undefined] | undefined;
    let committed = false;
    const writer = {
      size: 0,
      write: (chunk: Uint8Array) => {
        chunks.push(chunk.length);
        written.push(Buffer.from(chunk));
        return Promise.resolve();
      },
      commit: () => {
        committed = true;
        return Promise.resolve();
      },
    } as unknown as FileWriter;
    const driver: StorageDriver = {
      ...createStubDriver(),
      writer: (path, append) => {
        opened = [path, append];
        return Promise.resolve(writer);
      },
    };
    await writePatternFile(driver, '/a/b', 'seed', 2 * 1024 * 1024 + 3);
    expect(opened).to.deep.equal(['/a/b', undefined]);
    expect(chunks).to.deep.equal([1024 * 1024, 1024 * 1024, 3]);
    expect(Buffer.concat(written)).to.deep.equal(patternBytes('seed', 0, 2 * 1024 * 1024 + 3));
    expect(committed).to.equal(true);
  });

  it('waitUntil resolves once the condition holds, and gives up after its timeout', async () => {
    let calls = 0;
    await waitUntil(() => Promise.resolve(++calls === 3));
    expect(calls).to.equal(3);
    const late = await waitUntil(() => Promise.resolve(false), 50).catch((error: unknown) => error);
    expect(String(late)).to.contain('not met after 50 ms');
  });
});
