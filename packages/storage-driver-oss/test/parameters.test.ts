import { InvalidDriverParameterError } from '@lading/storage-driver';
import { expect } from 'chai';
import { defaultChunkSize, fromParameters } from '../src/index.js';

const required = {
  accesskeyid: 'LTAI5t',
  accesskeysecret: 'secret',
  region: 'oss-cn-beijing',
  bucket: 'acme-registry',
};

function failure(parameters: Record<string, unknown>): InvalidDriverParameterError {
  try {
    fromParameters(parameters);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidDriverParameterError);
    return error as InvalidDriverParameterError;
  }
  throw new Error('expected fromParameters to throw');
}

describe('oss parameters', () => {
  it('reads distribution’s keys with their defaults', () => {
    expect(fromParameters(required)).to.deep.equal({
      accessKeyId: 'LTAI5t',
      accessKeySecret: 'secret',
      region: 'oss-cn-beijing',
      bucket: 'acme-registry',
      internal: false,
      secure: true,
      encrypt: false,
      chunkSize: defaultChunkSize,
      rootDirectory: '',
    });
  });

  it('reads every key, from strings too (environment overrides)', () => {
    expect(
      fromParameters({
        ...required,
        endpoint: 'registry.example.com/',
        internal: 'true',
        secure: 'false',
        encrypt: true,
        encryptionkeyid: 'kms-key-1',
        chunksize: '20971520',
        rootdirectory: '/registry',
      }),
    ).to.deep.equal({
      accessKeyId: 'LTAI5t',
      accessKeySecret: 'secret',
      region: 'oss-cn-beijing',
      bucket: 'acme-registry',
      endpoint: 'registry.example.com',
      internal: true,
      secure: false,
      encrypt: true,
      encryptionKeyId: 'kms-key-1',
      chunkSize: 20 * 1024 * 1024,
      rootDirectory: '/registry',
    });
  });

  it('names the key of every bad value, required keys in distribution’s order', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{}, 'accesskeyid', /required/],
      [{ accesskeyid: 'a' }, 'accesskeysecret', /required/],
      [{ accesskeyid: 'a', accesskeysecret: 'b' }, 'region', /required/],
      [{ accesskeyid: 'a', accesskeysecret: 'b', region: 'oss-cn-beijing' }, 'bucket', /required/],
      [{ ...required, region: 'cn-beijing' }, 'region', /oss-cn-hangzhou/],
      [{ ...required, bucket: 'Acme_Registry' }, 'bucket', /not an OSS bucket name/],
      [{ ...required, chunksize: 1024 }, 'chunksize', /≥ 5242880/],
      [{ ...required, encryptionkeyid: 'k' }, 'encryptionkeyid', /needs encrypt/],
      [{ ...required, endpoint: 'ftp://x' }, 'endpoint', /http/],
      [{ ...required, endpoint: 'http://' }, 'endpoint', /not a host or URL|host name/],
      [{ ...required, endpoint: 'http://[::1' }, 'endpoint', /not a host or URL/],
      [{ ...required, internal: 'maybe' }, 'internal', /true or false/],
      [{ ...required, rootdir: '/x' }, 'rootdir', /unknown parameter/],
    ];
    for (const [parameters, key, message] of cases) {
      const error = failure(parameters);
      expect(error.message, JSON.stringify(parameters)).to.contain(`"${key}"`);
      expect(error.message, JSON.stringify(parameters)).to.match(message);
    }
  });
});
