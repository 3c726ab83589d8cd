import { expect } from 'chai';
import { Checker, CorrectnessError } from '../src/correctness.js';
import { keepAliveAgent } from '../src/http-client.js';
import { smokeSizes, type Sizes } from '../src/sizes.js';
import { blobHead } from '../src/workloads/blob-head.js';
import { manifestGet } from '../src/workloads/manifest-get.js';
import { chunkedUpload, download, monolithicUpload } from '../src/workloads/uploads.js';
import type { MetricValue, Workload } from '../src/workloads/workload.js';
import { startFakeRegistry, type Fault } from './fake-registry.js';

const sizes: Sizes = { ...smokeSizes, bigBlob: 1024 * 1024, chunk: 256 * 1024, requests: 200 };

/** Runs `workload` once against a fake registry with `fault`, measuring this process. */
async function runAgainstFake(workload: Workload, fault: Fault): Promise<MetricValue[]> {
  const fake = await startFakeRegistry(fault);
  const agent = keepAliveAgent(sizes.concurrency);
  try {
    return await workload.run({
      server: {
        name: 'lading',
        url: fake.url,
        pid: process.pid,
        logs: () => '',
        stop: () => Promise.resolve(),
      },
      client: { url: fake.url, agent, check: new Checker('fake', String(workload.number)) },
      sizes,
    });
  } finally {
    agent.destroy();
    await fake.close();
  }
}

async function correctnessError(work: Promise<unknown>): Promise<CorrectnessError> {
  try {
    await work;
  } catch (error) {
    expect(error).to.be.instanceOf(CorrectnessError);
    return error as CorrectnessError;
  }
  throw new Error('expected a CorrectnessError, got a score');
}

describe('correctness: a broken registry does not score', function () {
  this.timeout(30_000);

  for (const workload of [monolithicUpload, chunkedUpload, download, blobHead, manifestGet]) {
    it(`workload ${workload.number} scores against an honest registry`, async () => {
      const values = await runAgainstFake(workload, 'none');
      expect(values.length).to.be.greaterThan(0);
      for (const value of values)
        expect(value.value).to.be.a('number').and.satisfy(Number.isFinite);
    });
  }

  it('a download with one flipped byte fails, naming the server, workload and byte', async () => {
    const error = await correctnessError(runAgainstFake(download, 'corrupt-byte'));
    expect(error.server).to.equal('fake');
    expect(error.workload).to.equal('3');
    expect(error.message).to.match(/^fake, workload 3: GET \/v2\/bench\/upload\/blobs\/sha256:/);
    expect(error.message).to.include(`byte ${sizes.bigBlob / 2} differs (0x`);
  });

  it('a download cut short fails', async () => {
    let error: unknown;
    try {
      await runAgainstFake(download, 'short-body');
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/aborted|before its body was complete/);
  });

  it('a HEAD with the wrong Docker-Content-Digest fails', async () => {
    const error = await correctnessError(runAgainstFake(blobHead, 'wrong-head-digest'));
    expect(error.message).to.match(
      /^fake, workload 4: HEAD .* answered Docker-Content-Digest: sha256:/,
    );
  });

  it('an upload answered with the wrong digest fails, after upload and after chunks', async () => {
    const monolithic = await correctnessError(runAgainstFake(monolithicUpload, 'wrong-put-digest'));
    expect(monolithic.message).to.match(/workload 1: PUT .* Docker-Content-Digest/);
    const chunked = await correctnessError(runAgainstFake(chunkedUpload, 'wrong-put-digest'));
    expect(chunked.message).to.match(/workload 2: PUT .* Docker-Content-Digest/);
  });

  it('a PATCH answered with the wrong Range fails', async () => {
    const error = await correctnessError(runAgainstFake(chunkedUpload, 'patch-range-off-by-one'));
    expect(error.message).to.include(
      `answered Range: 0-${sizes.chunk}, expected 0-${sizes.chunk - 1}`,
    );
  });

  it('a manifest served with the wrong Content-Type fails', async () => {
    const error = await correctnessError(runAgainstFake(manifestGet, 'manifest-content-type'));
    expect(error.message).to.include('answered Content-Type: application/json');
  });
});
