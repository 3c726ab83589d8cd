import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  RestError,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';
import { expect } from 'chai';
import { signSharedKey } from '../src/azure-shared-key.js';
import { startAzurite, type RunningAzurite } from '../src/index.js';
import { removeAbandonedTempDirectories } from '../src/owned-temp-directory.js';
import { cleanupStack, eventually, processIsGone } from './helpers.js';

const abandonedAzurite = fileURLToPath(new URL('./fixtures/abandoned-azurite.ts', import.meta.url));
const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

/** The message `promise` rejects with; fails the test if it resolves. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return String(error);
  }
  return expect.fail('must be rejected');
}

/** The SDK's RestError `promise` rejects with: status, Azure error code, first message line. */
async function restFailure(
  promise: Promise<unknown>,
): Promise<{ status: number | undefined; code: string | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof RestError)) throw error;
    const message = error.message.split('\n')[0] ?? '';
    return { status: error.statusCode, code: error.code, message };
  }
  return expect.fail('must be rejected');
}

/** A block ID: base64 of a fixed-length string, as the Blob service wants them. */
const blockId = (n: number) =>
  Buffer.from(`block-${String(n).padStart(6, '0')}`).toString('base64');

describe('startAzurite', function () {
  this.timeout(30_000);
  const cleanups = cleanupStack();
  let azurite: RunningAzurite;
  let startedInMs: number;
  let service: BlobServiceClient;
  let credential: StorageSharedKeyCredential;
  after(() => cleanups.run());

  before(async () => {
    const started = Date.now();
    azurite = await startAzurite();
    startedInMs = Date.now() - started;
    cleanups.add(() => azurite.stop());
    service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    credential = new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey);
  });

  /** A fresh container, through the SDK. */
  async function container(): Promise<ContainerClient> {
    return service.getContainerClient(await azurite.createContainer());
  }

  /** The blob's URL with a read-only service SAS valid for `validMs`, signed with the key. */
  function readSasUrl(client: ContainerClient, blob: string, validMs = 3_600_000): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: client.containerName,
        blobName: blob,
        permissions: BlobSASPermissions.parse('r'),
        startsOn: new Date(Date.now() - 60_000),
        expiresOn: new Date(Date.now() + validMs),
      },
      credential,
    );
    return `${client.getBlobClient(blob).url}?${sas.toString()}`;
  }

  it('starts in about a second, on 127.0.0.1, with the well-known account', () => {
    expect(startedInMs).to.be.below(10_000);
    const port = /^http:\/\/127\.0\.0\.1:(\d+)\/devstoreaccount1$/.exec(azurite.blobEndpoint)?.[1];
    expect(port, azurite.blobEndpoint).to.be.a('string');
    expect(azurite.accountName).to.equal('devstoreaccount1');
    expect(azurite.accountKey).to.equal(
      'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    );
    expect(azurite.connectionString).to.equal(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
        `AccountKey=${azurite.accountKey};BlobEndpoint=${azurite.blobEndpoint}`,
    );
    expect(azurite.directory.startsWith(`${tmpdir()}/lading-azurite-${String(process.pid)}-`)).to.be
      .true;
    expect(azurite.logs()).to.include(
      `Azurite Blob service successfully listens on http://127.0.0.1:${String(port)}`,
    );
  });

  it('signs requests with the account key; a wrong key gets 403', async () => {
    const url = new URL(`${azurite.blobEndpoint}?comp=list`);
    const account = { name: azurite.accountName, key: azurite.accountKey };
    const listed = await fetch(url, { headers: signSharedKey('GET', url, account) });
    expect(listed.status, await listed.text()).to.equal(200);
    const wrongKey = Buffer.alloc(64, 1).toString('base64');
    const forged = await fetch(url, {
      headers: signSharedKey('GET', url, { ...account, key: wrongKey }),
    });
    await forged.body?.cancel();
    expect(forged.status).to.equal(403);
    expect(forged.headers.get('x-ms-error-code')).to.equal('AuthorizationFailure');
  });

  it('createContainer makes containers the SDK sees; refuses bad and taken names', async () => {
    const name = await azurite.createContainer();
    expect(name).to.match(/^lading-[0-9a-f]{12}$/);
    expect(await service.getContainerClient(name).exists()).to.be.true;

    expect(await azurite.createContainer('lading-fixed-name')).to.equal('lading-fixed-name');
    expect(await failure(azurite.createContainer('lading-fixed-name'))).to.include(
      'PUT answered 409',
    );
    for (const bad of ['ab', 'Upper', '-dash', 'dash-', 'two--dashes', 'a.b', 'x'.repeat(64)]) {
      expect(await failure(azurite.createContainer(bad))).to.include('invalid container name');
    }
  });

  it('stages two blocks, lists them as uncommitted, commits them and serves a range', async () => {
    const client = await container();
    const blob = client.getBlockBlobClient('staged/data');
    await blob.stageBlock(blockId(1), 'hello ', 6);
    await blob.stageBlock(blockId(2), 'world', 5);
    // A blob with uncommitted blocks only does not exist yet, but has a block list.
    expect(await blob.exists()).to.be.false;
    const uncommitted = await blob.getBlockList('uncommitted');
    expect(uncommitted.uncommittedBlocks).to.deep.equal([
      { name: blockId(1), size: 6 },
      { name: blockId(2), size: 5 },
    ]);
    expect(uncommitted.committedBlocks ?? []).to.deep.equal([]);
    expect((await blob.getBlockList('all')).uncommittedBlocks).to.have.length(2);

    await blob.commitBlockList([blockId(1), blockId(2)]);
    const committed = await blob.getBlockList('all');
    expect(committed.committedBlocks?.map(({ name }) => name)).to.deep.equal([
      blockId(1),
      blockId(2),
    ]);
    expect(committed.uncommittedBlocks ?? []).to.deep.equal([]);
    const ranged = await blob.download(2, 7);
    expect(ranged.contentRange).to.equal('bytes 2-8/11');
    expect((await blob.downloadToBuffer(2, 7)).toString()).to.equal('llo wor');

    // Appending by commit: the committed blocks again, plus a newly staged one.
    await blob.stageBlock(blockId(3), '!', 1);
    await blob.commitBlockList([blockId(1), blockId(2), blockId(3)]);
    expect((await blob.downloadToBuffer()).toString()).to.equal('hello world!');
    // The data is under --location.
    expect(await readdir(`${azurite.directory}/__blobstorage__`)).to.not.be.empty;
  });

  it('lists by hierarchy with a prefix and the delimiter /', async () => {
    const client = await container();
    for (const name of ['a/b/c', 'a/b/d', 'a/e', 'a/f/g', 'h']) {
      await client.getBlockBlobClient(name).uploadData(Buffer.from(name));
    }
    const entries: string[] = [];
    for await (const item of client.listBlobsByHierarchy('/', { prefix: 'a/' })) {
      entries.push(`${item.kind}:${item.name}`);
    }
    // The SDK gives a page's prefixes before its blobs, whatever their order in the listing.
    expect(entries).to.deep.equal(['prefix:a/b/', 'prefix:a/f/', 'blob:a/e']);
    // One entry per page: in name order, with continuation tokens.
    const pages: { names: string[]; more: boolean }[] = [];
    for await (const page of client
      .listBlobsByHierarchy('/', { prefix: 'a/' })
      .byPage({ maxPageSize: 1 })) {
      const { blobPrefixes = [], blobItems } = page.segment;
      const names = [...blobPrefixes, ...blobItems].map(({ name }) => name);
      pages.push({ names, more: page.continuationToken !== '' });
    }
    expect(pages).to.deep.equal([
      { names: ['a/b/'], more: true },
      { names: ['a/e'], more: true },
      { names: ['a/f/'], more: false },
    ]);
  });

  it('copies server-side from a SAS URL: syncCopyFromURL and beginCopyFromURL', async () => {
    const client = await container();
    await client.getBlockBlobClient('source').uploadData(Buffer.from('copy me'));
    const source = readSasUrl(client, 'source');

    const synced = await client.getBlockBlobClient('synced').syncCopyFromURL(source);
    expect(synced.copyStatus).to.equal('success');
    expect((await client.getBlobClient('synced').downloadToBuffer()).toString()).to.equal(
      'copy me',
    );

    const poller = await client.getBlockBlobClient('polled').beginCopyFromURL(source);
    const polled = await poller.pollUntilDone();
    expect(polled.copyStatus).to.equal('success');
    expect((await client.getBlobClient('polled').downloadToBuffer()).toString()).to.equal(
      'copy me',
    );

    // Azurite 3.35 does not check the source's authorization at all: Azure itself wants a SAS
    // (or public access) for Copy Blob From URL, so these tests cannot catch a missing one.
    const unsigned = client.getBlobClient('source').url;
    const lax = await client.getBlockBlobClient('lax').syncCopyFromURL(unsigned);
    expect(lax.copyStatus).to.equal('success');
  });

  it('serves a read SAS URL to plain fetch, ranges too; without the SAS it refuses', async () => {
    const client = await container();
    await client.getBlockBlobClient('shared').uploadData(Buffer.from('shared bytes'));
    const url = readSasUrl(client, 'shared');
    expect(new URL(url).searchParams.get('sp')).to.equal('r');

    const whole = await fetch(url);
    expect(whole.status).to.equal(200);
    expect(await whole.text()).to.equal('shared bytes');
    const ranged = await fetch(url, { headers: { Range: 'bytes=7-11' } });
    expect(ranged.status).to.equal(206);
    expect(ranged.headers.get('Content-Range')).to.equal('bytes 7-11/12');
    expect(await ranged.text()).to.equal('bytes');

    const anonymous = await fetch(client.getBlobClient('shared').url);
    await anonymous.body?.cancel();
    expect(anonymous.status).to.equal(403);
    expect(anonymous.headers.get('x-ms-error-code')).to.equal('AuthorizationFailure');
    // A read SAS does not allow a write.
    const write = await fetch(url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'overwritten',
    });
    await write.body?.cancel();
    expect(write.status).to.equal(403);
  });

  it('does not implement Put Block From URL (stageBlockFromURL): 501', async () => {
    const client = await container();
    await client.getBlockBlobClient('source').uploadData(Buffer.from('0123456789'));
    const target = client.getBlockBlobClient('target');
    const refused = await restFailure(
      target.stageBlockFromURL(blockId(1), readSasUrl(client, 'source'), 0, 5),
    );
    expect(refused).to.deep.equal({
      status: 501,
      code: 'APINotImplemented',
      message:
        'Current API is not implemented yet. Please vote your wanted features to ' +
        'https://github.com/azure/azurite/issues',
    });
  });

  it('stop() ends the process and removes the directory; a second stop() is harmless', async () => {
    expect(await processIsGone(azurite.pid)).to.be.false;
    expect(existsSync(azurite.directory)).to.be.true;
    const stopping = Date.now();
    await azurite.stop();
    const stoppedInMs = Date.now() - stopping;
    expect(stoppedInMs).to.be.below(5_000);
    expect(await processIsGone(azurite.pid)).to.be.true;
    expect(existsSync(azurite.directory)).to.be.false;
    await azurite.stop();
    expect(await failure(azurite.createContainer())).to.include('Azurite is stopped');
    expect(azurite.logs()).to.include('Azurite Blob service successfully closed');
  });
});

describe('Azurite of a killed test process', function () {
  this.timeout(30_000);

  it('dies with it, and the next start clears its directory', async () => {
    // Not through c8: the fixture is test code.
    const { NODE_V8_COVERAGE: _coverage, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', abandonedAzurite], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: packageDirectory,
      env,
    });
    const exited = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const started = JSON.parse(line) as { pid: number; directory: string };
    try {
      expect(await processIsGone(started.pid)).to.be.false;
      child.kill('SIGKILL');
      await exited;
      expect(await eventually(() => processIsGone(started.pid), 5_000)).to.be.true;
      expect(existsSync(started.directory), 'left behind').to.be.true;
      expect(await removeAbandonedTempDirectories('lading-azurite-')).to.include(started.directory);
      expect(existsSync(started.directory), 'cleared').to.be.false;
    } finally {
      try {
        process.kill(started.pid, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
  });
});
