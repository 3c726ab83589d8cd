import { expect } from 'chai';
import { StorageDriverRegistry } from '@lading/storage-driver';
import {
  defaultChunkSize,
  defaultMultipartCopyChunkSize,
  defaultMultipartCopyMaxConcurrency,
  defaultMultipartCopyThresholdSize,
  fromParameters,
  s3DriverFactory,
} from '../src/index.js';
import { awsPlainHttpEndpoint, endpointURL } from '../src/s3-client.js';

const MiB = 1024 * 1024;

describe('s3 parameters', () => {
  it('take distribution defaults when only bucket and region are given', () => {
    expect(fromParameters({ bucket: 'images', region: 'eu-west-1' })).to.deep.equal({
      bucket: 'images',
      region: 'eu-west-1',
      regionEndpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
      encrypt: false,
      keyId: undefined,
      secure: true,
      skipVerify: false,
      chunkSize: defaultChunkSize,
      multipartCopyChunkSize: defaultMultipartCopyChunkSize,
      multipartCopyThresholdSize: defaultMultipartCopyThresholdSize,
      multipartCopyMaxConcurrency: defaultMultipartCopyMaxConcurrency,
      rootDirectory: '',
      storageClass: 'STANDARD',
      objectAcl: 'private',
      userAgent: undefined,
      useDualstack: false,
      accelerate: false,
    });
    expect([defaultChunkSize, defaultMultipartCopyChunkSize]).to.deep.equal([10 * MiB, 32 * MiB]);
    expect([defaultMultipartCopyThresholdSize, defaultMultipartCopyMaxConcurrency]).to.deep.equal([
      32 * MiB,
      100,
    ]);
  });

  it('read every key, also as strings from REGISTRY_STORAGE_S3_* variables', () => {
    const options = fromParameters({
      accesskey: 'AKIA1',
      secretkey: 'secret',
      region: 'minio',
      regionendpoint: 'http://127.0.0.1:9000',
      forcepathstyle: 'true',
      bucket: 'images',
      encrypt: true,
      keyid: 'arn:aws:kms:eu-west-1:1:key/k',
      secure: 'false',
      skipverify: true,
      v4auth: 'true',
      chunksize: String(16 * MiB),
      multipartcopychunksize: 64 * MiB,
      multipartcopythresholdsize: '0',
      multipartcopymaxconcurrency: '4',
      rootdirectory: '/registry/',
      storageclass: 'reduced_redundancy',
      objectacl: 'bucket-owner-full-control',
      useragent: 'acme-registry/1',
      usedualstack: false,
      accelerate: 'false',
    });
    expect(options).to.deep.include({
      credentials: { accessKeyId: 'AKIA1', secretAccessKey: 'secret' },
      region: 'minio',
      regionEndpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      encrypt: true,
      keyId: 'arn:aws:kms:eu-west-1:1:key/k',
      secure: false,
      skipVerify: true,
      chunkSize: 16 * MiB,
      multipartCopyChunkSize: 64 * MiB,
      multipartCopyThresholdSize: 0,
      multipartCopyMaxConcurrency: 4,
      rootDirectory: '/registry/',
      storageClass: 'REDUCED_REDUNDANCY',
      objectAcl: 'bucket-owner-full-control',
      userAgent: 'acme-registry/1',
    });
  });

  it('default the region to us-east-1 for an S3-compatible endpoint, and NONE to the bucket class', () => {
    const options = fromParameters({
      bucket: 'b',
      regionendpoint: 'http://127.0.0.1:8080',
      storageclass: 'NONE',
    });
    expect(options.region).to.equal('us-east-1');
    expect(options.storageClass).to.equal(undefined);
  });

  it('name the key that is wrong', async () => {
    const registry = new StorageDriverRegistry().register('s3', s3DriverFactory);
    const base = { bucket: 'b', region: 'us-east-1' };
    const cases: [Record<string, unknown>, string][] = [
      [{ region: 'us-east-1' }, '"bucket": is required'],
      [{ bucket: 'b' }, '"region": is required unless regionendpoint is set'],
      [{ bucket: 'b', region: 'us_east_1' }, '"region": "us_east_1" is not an AWS region name'],
      [{ ...base, chunksize: 4 * MiB }, `"chunksize": expected an integer ≥ ${String(5 * MiB)}`],
      [{ ...base, chunksize: '10MB' }, '"chunksize": expected an integer, got "10MB"'],
      [{ ...base, multipartcopychunksize: 1 }, '"multipartcopychunksize": expected an integer ≥'],
      [{ ...base, multipartcopythresholdsize: 6 * 1024 * MiB }, '"multipartcopythresholdsize"'],
      [{ ...base, multipartcopymaxconcurrency: 0 }, '"multipartcopymaxconcurrency"'],
      [{ ...base, storageclass: 'COLD' }, '"storageclass": expected one of NONE, STANDARD'],
      [{ ...base, objectacl: 'secret' }, '"objectacl": expected one of private'],
      [{ ...base, secure: 'yes' }, '"secure": expected true or false, got "yes"'],
      [{ ...base, accesskey: 'a' }, '"secretkey": is required when accesskey is set'],
      [{ ...base, secretkey: 's' }, '"accesskey": is required when secretkey is set'],
      [{ ...base, keyid: 'k' }, '"keyid": needs encrypt: true'],
      [{ ...base, secure: false, accelerate: true }, '"secure": false cannot be combined'],
      [{ ...base, v4auth: false }, '"v4auth": Signature Version 2 is not supported'],
      [{ ...base, rootdir: '/x' }, '"rootdir": unknown parameter (known: accelerate, accesskey'],
    ];
    for (const [parameters, message] of cases) {
      const failure = await registry.create('s3', parameters).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, JSON.stringify(parameters)).to.be.instanceOf(Error);
      expect((failure as Error).message).to.contain(`s3: invalid parameter ${message}`);
    }
  });

  it('build a driver from valid parameters without touching the network', async () => {
    const registry = new StorageDriverRegistry().register('s3', s3DriverFactory);
    const driver = await registry.create('s3', { bucket: 'b', region: 'eu-central-1' });
    expect(driver.name).to.equal('s3');
  });

  it('give an endpoint without a scheme https, or http when secure is off', () => {
    expect(endpointURL('minio.internal:9000', true)).to.equal('https://minio.internal:9000');
    expect(endpointURL('minio.internal:9000', false)).to.equal('http://minio.internal:9000');
    expect(endpointURL('http://127.0.0.1:9000', true)).to.equal('http://127.0.0.1:9000');
  });

  it('name AWS regional endpoints over plain http when secure is off', () => {
    expect(awsPlainHttpEndpoint('eu-west-1')).to.equal('http://s3.eu-west-1.amazonaws.com');
    expect(awsPlainHttpEndpoint('cn-north-1')).to.equal('http://s3.cn-north-1.amazonaws.com.cn');
  });
});
