import { InvalidDriverParameterError } from '@lading/storage-driver';
import { expect } from 'chai';
import { defaultChunkSize, defaultMaxConcurrency, fromParameters } from '../src/index.js';

const privateKey = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n';

function failure(parameters: Record<string, unknown>): InvalidDriverParameterError {
  try {
    fromParameters(parameters);
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidDriverParameterError);
    return error as InvalidDriverParameterError;
  }
  throw new Error('expected fromParameters to throw');
}

describe('gcs parameters', () => {
  it('reads distribution’s keys with their defaults', () => {
    expect(fromParameters({ bucket: 'registry' })).to.deep.equal({
      bucket: 'registry',
      rootDirectory: '',
      chunkSize: defaultChunkSize,
      maxConcurrency: defaultMaxConcurrency,
    });
    expect(
      fromParameters({
        bucket: 'registry',
        keyfile: '/etc/lading/gcs.json',
        rootdirectory: '/images',
        chunksize: '5242880',
        maxconcurrency: 100,
        useragent: 'acme-registry',
        endpoint: 'http://127.0.0.1:4443/',
      }),
    ).to.deep.equal({
      bucket: 'registry',
      keyFile: '/etc/lading/gcs.json',
      rootDirectory: '/images',
      chunkSize: 5 * 1024 * 1024,
      maxConcurrency: 100,
      userAgent: 'acme-registry',
      endpoint: 'http://127.0.0.1:4443',
    });
  });

  it('takes a service account inline, as in its key file', () => {
    const options = fromParameters({
      bucket: 'registry',
      credentials: {
        type: 'service_account',
        project_id: 'acme',
        private_key_id: 'abc',
        private_key: privateKey,
        client_email: 'registry@acme.iam.gserviceaccount.com',
        client_id: '123',
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: 'https://www.googleapis.com/robot/v1/metadata/x509/registry',
      },
    });
    expect(options.credentials?.client_email).to.equal('registry@acme.iam.gserviceaccount.com');
    expect(options.credentials?.project_id).to.equal('acme');
    expect(options.credentials?.private_key).to.equal(privateKey);
  });

  it('names the key of every bad value', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{}, 'bucket', /required/],
      [{ bucket: ' ' }, 'bucket', /required/],
      [{ bucket: 'Not_A..Bucket' }, 'bucket', /not a bucket name/],
      [{ bucket: 'b1b', chunksize: 1000 }, 'chunksize', /≥ 262144/],
      [{ bucket: 'b1b', chunksize: 300 * 1024 }, 'chunksize', /multiple of 262144/],
      [{ bucket: 'b1b', maxconcurrency: 10 }, 'maxconcurrency', /≥ 25/],
      [{ bucket: 'b1b', endpoint: 'not a url' }, 'endpoint', /not a URL/],
      [{ bucket: 'b1b', endpoint: 'ftp://x' }, 'endpoint', /http/],
      [{ bucket: 'b1b', credentials: 'a string' }, 'credentials', /mapping/],
      [{ bucket: 'b1b', credentials: { type: 'user' } }, 'credentials.type', /service_account/],
      [
        { bucket: 'b1b', credentials: { type: 'service_account', private_key: privateKey } },
        'credentials.client_email',
        /required/,
      ],
      [
        {
          bucket: 'b1b',
          credentials: { type: 'service_account', client_email: 'a@b', private_key: 'nope' },
        },
        'credentials.private_key',
        /PEM/,
      ],
      [
        {
          bucket: 'b1b',
          credentials: {
            type: 'service_account',
            client_email: 'a@b',
            private_key: privateKey,
            extra: 1,
          },
        },
        'credentials.extra',
        /unknown/,
      ],
      [
        {
          bucket: 'b1b',
          keyfile: '/k.json',
          credentials: { type: 'service_account', client_email: 'a@b', private_key: privateKey },
        },
        'credentials',
        /either keyfile or credentials/,
      ],
      [{ bucket: 'b1b', rootdir: '/x' }, 'rootdir', /unknown parameter/],
    ];
    for (const [parameters, key, message] of cases) {
      const error = failure(parameters);
      expect(error.message, JSON.stringify(parameters)).to.contain(`"${key}"`);
      expect(error.message, JSON.stringify(parameters)).to.match(message);
    }
  });
});
