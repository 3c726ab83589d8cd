import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
} from '@azure/storage-blob';
import type { StorageDriver } from '@lading/storage-driver';
import { startRecordingProxy, type RecordingProxy, type SeenRequest } from '@lading/registry-peers';
import { patternBytes, patternDigest, summarize } from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import { createAzureDriver, type AzureDriverOptions } from '../src/index.js';
import { localTarget } from './support/azure-target.js';

const MiB = 1024 * 1024;
const fixture = fileURLToPath(new URL('fixtures/resume-writer.ts', import.meta.url));

const isStageBlock = (request: SeenRequest) => request.url.includes('comp=block&');
const isCommit = (request: SeenRequest) =>
  request.method === 'PUT' && request.url.includes('comp=blocklist');
/** Bytes sent in staged blocks and whole-blob PUTs. */
const sentBytes = (requests: readonly SeenRequest[]) =>
  requests
    .filter((request) => request.method === 'PUT' && !request.url.includes('~partial'))
    .filter((request) => !isCommit(request))
    .reduce((sum, request) => sum + request.bodyBytes, 0);

describe('azure writer, watched through a recording proxy', function () {
  let proxy: RecordingProxy;
  let options: AzureDriverOptions;
  let driver: StorageDriver;

  before(async () => {
    const target = await localTarget();
    proxy = await startRecordingProxy(new URL(String(target.localEndpoint)).origin);
    options = target.driverOptions({
      serviceUrl: `${proxy.endpoint}${new URL(String(target.localEndpoint)).pathname}`,
      blockSize: 4 * MiB,
    });
    driver = createAzureDriver(options);
  });

  after(() => proxy.close());

  /** The requests `action` made. */
  async function during(action: () => Promise<unknown>): Promise<SeenRequest[]> {
    const before = proxy.requests.length;
    await action();
    return proxy.requests.slice(before);
  }

  it('resumes in another process without sending again what the store holds', async () => {
    const path = '/uploads/resumed/data';
    const first = 9 * MiB + 100;
    const writer = await driver.writer(path);
    const firstSession = await during(async () => {
      for (let offset = 0; offset < first; offset += MiB) {
        await writer.write(patternBytes('resume', offset, Math.min(MiB, first - offset)));
      }
      await writer.close();
    });
    expect(firstSession.filter(isStageBlock).map((request) => request.bodyBytes)).to.deep.equal([
      4 * MiB,
      4 * MiB,
      MiB + 100,
    ]);
    const more = 7 * MiB;
    const secondSession = await during(async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', fixture, JSON.stringify(options), path, String(more)],
        { maxBuffer: MiB, timeout: 60_000 },
      );
      expect(stdout).to.contain(`resumed at ${String(first)}`);
      expect(stdout).to.contain(`committed ${String(first + more)}`);
    });
    expect(sentBytes(secondSession), 'only the new bytes').to.equal(more);
    expect(secondSession.filter(isCommit)).to.have.length(1);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: first + more,
      sha256: patternDigest('resume', first + more),
    });
  });

  it('appends to a blob it committed by naming its blocks again, sending only the new bytes', async () => {
    const path = '/committed/grown';
    const writer = await driver.writer(path);
    await writer.write(patternBytes('grow', 0, 6 * MiB));
    await writer.commit();
    const appended = await during(async () => {
      const appender = await driver.writer(path, true);
      expect(appender.size).to.equal(6 * MiB);
      await appender.write(patternBytes('grow', 6 * MiB, 1000));
      await appender.commit();
    });
    expect(sentBytes(appended)).to.equal(1000);
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 6 * MiB + 1000,
      sha256: patternDigest('grow', 6 * MiB + 1000),
    });
  });

  it('writes a small file in one request, and keeps nothing behind on commit or cancel', async () => {
    const small = await during(async () => {
      const writer = await driver.writer('/small/file');
      await writer.write(Buffer.from('tiny'));
      await writer.commit();
    });
    expect(
      small.filter((request) => request.method === 'PUT' && !request.url.includes('~partial')),
    ).to.have.length(1);
    const cancelled = await driver.writer('/small/cancelled');
    await cancelled.write(Buffer.from('gone'));
    await cancelled.close();
    const resumed = await driver.writer('/small/cancelled', true);
    await resumed.cancel();
    expect(await driver.list('/small')).to.deep.equal(['/small/file']);
  });

  it('takes a retried commit after its block list or its tidying up failed, staging nothing twice', async () => {
    const once = createAzureDriver({ ...options, maxRetries: -1 });
    const path = '/retried/data';
    const writer = await once.writer(path);
    await writer.write(patternBytes('retried', 0, 9 * MiB));
    proxy.answerOnce((method, url) => method === 'PUT' && url.includes('comp=blocklist'), {
      status: 400,
      body: '',
    });
    const failed = await writer.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed, 'the first commit fails').to.be.instanceOf(Error);
    await writer.commit();
    const appending = await once.writer(path, true);
    await appending.write(patternBytes('retried', 9 * MiB, 10));
    await appending.close();
    const resumed = await once.writer(path, true);
    proxy.answerOnce((method, url) => method === 'DELETE' && url.includes('partial'), {
      status: 400,
      body: '',
    });
    const untidy = await resumed.commit().then(
      () => undefined,
      (error: unknown) => error,
    );
    proxy.intercept(undefined);
    expect(untidy, 'the second commit fails tidying up').to.be.instanceOf(Error);
    await resumed.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 9 * MiB + 10,
      sha256: patternDigest('retried', 9 * MiB + 10),
    });
    expect(await driver.list('/retried')).to.deep.equal([path]);
  });

  it('continues the committed blob when the staged blocks of a closed writer are gone', async () => {
    const path = '/uploads/expired/data';
    await driver.putContent(path, Buffer.from('committed'));
    const writer = await driver.writer(path);
    await writer.write(Buffer.from('staged, then lost'));
    await writer.close();
    // Claim a block that is not there, as when staged blocks expire after a week.
    const container = new BlobServiceClient(
      String(options.serviceUrl),
      new StorageSharedKeyCredential(String(options.accountName), accountKey(options)),
    ).getContainerClient(options.container);
    const state = container.getBlockBlobClient(
      `${String(options.rootDirectory).slice(1)}${path}~partial`,
    );
    const recorded = JSON.parse((await state.downloadToBuffer()).toString()) as Record<
      string,
      unknown
    >;
    const tampered = Buffer.from(JSON.stringify({ ...recorded, blockCount: 2 }));
    await state.upload(tampered, tampered.length);
    const resumed = await driver.writer(path, true);
    expect(resumed.size).to.equal('committed'.length);
    await resumed.write(Buffer.from(' and more'));
    await resumed.commit();
    expect((await driver.getContent(path)).toString()).to.equal('committed and more');
    expect(await state.exists(), 'the stale state is gone').to.equal(false);
  });

  it('reaches the store through a connection string, account key and all', async () => {
    const { accountName, serviceUrl, container } = options;
    const key = accountKey(options);
    const viaString = createAzureDriver({
      container,
      rootDirectory: String(options.rootDirectory),
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${String(accountName)};AccountKey=${key};BlobEndpoint=${String(serviceUrl)};`,
    });
    await viaString.putContent('/connection/string', Buffer.from('works'));
    expect((await driver.getContent('/connection/string')).toString()).to.equal('works');
    const url = String(await viaString.redirectURL('GET', '/connection/string'));
    expect(await (await fetch(url)).text()).to.equal('works');
  });

  it('works from a connection string with a SAS, moving with it but never handing it to clients', async () => {
    const { accountName, serviceUrl, container } = options;
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 60 * 60 * 1000),
        permissions: AccountSASPermissions.parse('rwdlac'),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
        services: AccountSASServices.parse('b').toString(),
      },
      new StorageSharedKeyCredential(String(accountName), accountKey(options)),
    ).toString();
    const viaSas = createAzureDriver({
      container,
      rootDirectory: String(options.rootDirectory),
      connectionString: `BlobEndpoint=${String(serviceUrl)};SharedAccessSignature=${sas}`,
    });
    await viaSas.putContent('/sas/source', Buffer.from('signed'));
    await viaSas.move('/sas/source', '/sas/moved');
    expect(await viaSas.redirectURL('GET', '/sas/moved'), 'no redirect carrying the SAS').to.equal(
      undefined,
    );
    expect((await viaSas.getContent('/sas/moved')).toString()).to.equal('signed');
    expect(await driver.list('/sas')).to.deep.equal(['/sas/moved']);
  });

  it('keeps every byte when a block fails for good, and resumes after it', async () => {
    const impatient = createAzureDriver({ ...options, maxRetries: -1 });
    const path = '/uploads/flaky/data';
    const writer = await impatient.writer(path);
    await writer.write(patternBytes('flaky', 0, 3 * MiB));
    proxy.failNext(1, '503');
    await writer.write(patternBytes('flaky', 3 * MiB, 3 * MiB)); // a block starts, and fails
    const failure = await writer
      .write(patternBytes('flaky', 6 * MiB, 3 * MiB))
      .catch((error: unknown) => error);
    expect(failure, 'the write that waited for the failed block').to.be.instanceOf(Error);
    await writer.close();
    const resumed = await impatient.writer(path, true);
    expect(resumed.size).to.equal(9 * MiB);
    await resumed.commit();
    expect(await summarize(await driver.reader(path))).to.deep.equal({
      size: 9 * MiB,
      sha256: patternDigest('flaky', 9 * MiB),
    });
  });
});

function accountKey(options: AzureDriverOptions): string {
  return options.credentials?.type === 'shared_key' ? options.credentials.accountKey : '';
}
