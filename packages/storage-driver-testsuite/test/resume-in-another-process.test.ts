import type { FileWriter, StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import { patternBytes, resumeWriterFromArguments } from '../src/index.js';
import { createStubDriver } from './stub-driver.js';

describe('resumeWriterFromArguments', () => {
  it('continues the writer at its size, appends the pattern from there and commits', async () => {
    const written: Buffer[] = [];
    const calls: string[] = [];
    let size = 1000;
    const writer: FileWriter = {
      get size() {
        return size;
      },
      write: (chunk) => {
        written.push(Buffer.from(chunk));
        size += chunk.length;
        return Promise.resolve();
      },
      commit: () => {
        calls.push('commit');
        return Promise.resolve();
      },
      close: () => Promise.reject(new Error('not used')),
      cancel: () => Promise.reject(new Error('not used')),
    };
    const driver: StorageDriver = {
      ...createStubDriver(),
      writer: (path, append) => {
        calls.push(`writer ${path} ${String(append)}`);
        return Promise.resolve(writer);
      },
    };
    let given: unknown;
    const output: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = (text: string) => output.push(text) > 0;
    try {
      await resumeWriterFromArguments(
        (options: { bucket: string }) => {
          given = options;
          return driver;
        },
        [JSON.stringify({ bucket: 'b' }), '/up/data', String(1024 * 1024 + 5)],
      );
    } finally {
      process.stdout.write = original;
    }
    expect(given).to.deep.equal({ bucket: 'b' });
    expect(calls).to.deep.equal(['writer /up/data true', 'commit']);
    expect(Buffer.concat(written)).to.deep.equal(patternBytes('resume', 1000, 1024 * 1024 + 5));
    expect(output).to.deep.equal([
      'resumed at 1000\n',
      `committed ${String(1000 + 1024 * 1024 + 5)}\n`,
    ]);
  });

  it('says how to call it when arguments are missing', async () => {
    const failure = await resumeWriterFromArguments(() => createStubDriver(), ['{}']).catch(
      (error: unknown) => error,
    );
    expect(String(failure)).to.contain('usage: resume-writer <options-json> <path> <bytes>');
  });
});
