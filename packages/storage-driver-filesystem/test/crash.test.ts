import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createFilesystemDriver } from '../src/index.js';
import { wholeVersion } from './fixtures/versioned-content.js';
import { temporaryRoot } from './helpers.js';

const writerScript = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

interface Progress {
  put: number;
  commit: number;
  started: number;
}

/** Runs the crash writer for `ms`, then kills it with SIGKILL; returns what it had completed. */
async function runAndKill(root: string, ms: number): Promise<Progress> {
  const child = spawn(process.execPath, ['--import', 'tsx', writerScript, root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const progress: Progress = { put: 0, commit: 0, started: 0 };
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const [event, version] = line.split(' ');
    if (event === 'start') progress.started = Number(version);
    if (event === 'put' || event === 'commit') progress[event] = Number(version);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Kill only once writing is under way, so every kill interrupts real work.
  await new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      if (line === 'put 2') resolve();
    });
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  await exited;
  return { ...progress };
}

describe('filesystem driver after kill -9', function () {
  this.timeout(120_000);

  it('keeps every completed write whole and shows no interrupted one', async () => {
    const root = await temporaryRoot();
    try {
      for (let round = 0; round < 6; round += 1) {
        const progress = await runAndKill(root, 37 + ((round * 131) % 300));
        const driver = createFilesystemDriver({ rootDirectory: root });
        const put = wholeVersion(await driver.getContent('/put/target'));
        const committed = wholeVersion(await driver.getContent('/writer/target'));
        // Each file holds one whole version, at least the last one reported complete.
        expect(put, `putContent after round ${String(round)}`).to.be.a('number');
        expect(put).to.be.at.least(progress.put);
        expect(put).to.be.at.most(progress.started);
        expect(committed, `commit after round ${String(round)}`).to.be.a('number');
        expect(committed).to.be.at.least(progress.commit);
        // Staging and temporary files of the interrupted write stay invisible.
        expect(await driver.list('/put')).to.deep.equal(['/put/target']);
        expect(await driver.list('/writer')).to.deep.equal(['/writer/target']);
        // And the store stays usable: a fresh writer replaces a torn staging file.
        const writer = await driver.writer('/writer/target');
        await writer.write(Buffer.from('after the crash'));
        await writer.cancel();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
