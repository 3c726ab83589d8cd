import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorProcess } from '../src/emulator-process.js';

describe('startEmulatorProcess', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'lading-emulator-process-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('fails at once, with what the emulator printed, when it exits instead of listening', async () => {
    const cli = join(directory, 'broken-cli.mjs');
    await writeFile(cli, "console.error('cannot open the data directory'); process.exit(3);\n");
    const started = Date.now();
    const failure = await startEmulatorProcess('the broken emulator', cli, directory, [], () => {
      // Never removed: it never started.
    }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message)
      .to.include(`the broken emulator did not start in ${directory}`)
      .and.include('it exited (code 3')
      .and.include('cannot open the data directory');
    expect(Date.now() - started, 'not the 20 s start-up timeout').to.be.below(10_000);
    expect(existsSync(directory), 'its directory is the caller’s to remove').to.equal(true);
  });
});
