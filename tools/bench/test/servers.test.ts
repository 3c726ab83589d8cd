import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startServer } from '../src/servers.js';

// The built server, as the smoke test uses it (Nx builds it first).
const ladingCli = fileURLToPath(new URL('../../../apps/registry/dist/cli.js', import.meta.url));

describe('bench servers', function () {
  this.timeout(60_000);
  let baseDirectory: string;
  beforeEach(async () => {
    baseDirectory = await mkdtemp(join(tmpdir(), 'lading-bench-servers-'));
  });
  afterEach(() => rm(baseDirectory, { recursive: true, force: true }));

  it('removes a run’s storage when the server stops, or leaves it for the end if asked', async () => {
    expect(existsSync(ladingCli), `${ladingCli}: build the server first`).to.equal(true);
    const removed = await startServer('lading', { ladingCli, baseDirectory });
    expect(await readdir(baseDirectory)).to.have.length(1);
    await removed.stop();
    expect(await readdir(baseDirectory)).to.deep.equal([]);

    const kept = await startServer('lading', { ladingCli, baseDirectory }, { keepStorage: true });
    expect((await fetch(`${kept.url}/v2/`)).status).to.equal(200);
    await kept.stop();
    const [directory] = await readdir(baseDirectory);
    expect(directory).to.match(/^lading-/);
    expect(await readdir(join(baseDirectory, directory ?? ''))).to.include('data');
  });

  it('runs only Lading without fsync', async () => {
    let failure: unknown;
    await startServer('distribution', { ladingCli, baseDirectory }, { withoutFsync: true }).catch(
      (error: unknown) => (failure = error),
    );
    expect(String(failure)).to.include('only Lading runs without fsync');
    expect(await readdir(baseDirectory)).to.deep.equal([]);
  });
});
