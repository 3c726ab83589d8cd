import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { removeTree } from '../src/remove-tree.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/remove-tree.ts', import.meta.url));
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const nobody = 65534;

/** A tree like an unpacked image layer can leave: directories with mode 0555 and 0000. */
async function awkwardTree(root: string): Promise<void> {
  for (const directory of ['tree/readonly/deeper', 'tree/locked']) {
    await mkdir(join(root, directory), { recursive: true });
  }
  await writeFile(join(root, 'tree/readonly/deeper/file'), 'x');
  await writeFile(join(root, 'tree/locked/file'), 'x');
  await chmod(join(root, 'tree/readonly/deeper'), 0o555);
  await chmod(join(root, 'tree/readonly'), 0o555);
  await chmod(join(root, 'tree/locked'), 0o000);
}

/** Runs a command as nobody, with a TMPDIR of its own so that tsx leaves no cache behind. */
function asNobody(temporary: string, command: string[]) {
  return run('setpriv', [`--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', ...command], {
    cwd: packageDirectory,
    env: { ...process.env, TMPDIR: join(temporary, 'tmp') },
  });
}

describe('removeTree', function () {
  this.timeout(60_000);
  let base: string;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'lading-remove-tree-test-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('removes directories with mode 0555 and 0000', async () => {
    await awkwardTree(base);
    await removeTree(join(base, 'tree'));
    expect(existsSync(join(base, 'tree'))).to.equal(false);
    await removeTree(join(base, 'tree')); // a missing tree is fine
  });

  it('gets through them as a non-root owner, where rm -rf fails', async function () {
    if (process.getuid?.() !== 0) this.skip(); // needs root to switch users
    await awkwardTree(base);
    await mkdir(join(base, 'tmp'));
    await run('chown', ['-R', `${nobody}:${nobody}`, base]);
    await chown(base, nobody, nobody);

    // The control: plain rm -rf, as the owner, cannot empty those directories.
    try {
      await asNobody(base, ['rm', '-rf', join(base, 'tree')]);
      expect.fail('rm -rf must fail on directories without write permission');
    } catch (error) {
      expect(String(error)).to.include('Permission denied');
    }
    expect(existsSync(join(base, 'tree/readonly/deeper/file'))).to.equal(true);

    await asNobody(base, [process.execPath, '--import', 'tsx', fixture, join(base, 'tree')]);
    expect(existsSync(join(base, 'tree'))).to.equal(false);
  });
});
