import { expect } from 'chai';
import { StorageDriverRegistry } from '@lading/storage-driver';
import {
  azureDriverFactory,
  defaultCopyStatusPollDelayMs,
  defaultCopyStatusPollMaxRetry,
  defaultMaxRetries,
  defaultRetryDelayMs,
  fromParameters,
} from '../src/index.js';

describe('azure parameters', () => {
  it('take distribution defaults with an account name and key', () => {
    expect(
      fromParameters({ accountname: 'acme', accountkey: 'a2V5', container: 'registry' }),
    ).to.deep.equal({
      accountName: 'acme',
      connectionString: undefined,
      credentials: { type: 'shared_key', accountKey: 'a2V5' },
      container: 'registry',
      realm: 'core.windows.net',
      serviceUrl: undefined,
      rootDirectory: '',
      maxRetries: defaultMaxRetries,
      retryDelayMs: defaultRetryDelayMs,
      copyStatusPollMaxRetry: defaultCopyStatusPollMaxRetry,
      copyStatusPollDelayMs: defaultCopyStatusPollDelayMs,
    });
    expect([defaultMaxRetries, defaultRetryDelayMs]).to.deep.equal([5, 100]);
    expect([defaultCopyStatusPollMaxRetry, defaultCopyStatusPollDelayMs]).to.deep.equal([5, 100]);
  });

  it('read every key, durations as Go writes them and numbers as strings', () => {
    expect(
      fromParameters({
        accountname: 'acme',
        container: 'registry',
        credentials: { type: 'client_secret', tenantid: 't', clientid: 'c', secret: 's' },
        realm: 'core.chinacloudapi.cn',
        serviceurl: 'https://acme.blob.core.chinacloudapi.cn',
        rootdirectory: '/registry',
        max_retries: '-1',
        retry_delay: '2s',
        copy_status_poll_max_retry: 10,
        copy_status_poll_delay: '250ms',
      }),
    ).to.deep.include({
      credentials: { type: 'client_secret', tenantId: 't', clientId: 'c', secret: 's' },
      realm: 'core.chinacloudapi.cn',
      serviceUrl: 'https://acme.blob.core.chinacloudapi.cn',
      rootDirectory: '/registry',
      maxRetries: -1,
      retryDelayMs: 2000,
      copyStatusPollMaxRetry: 10,
      copyStatusPollDelayMs: 250,
    });
    expect(
      fromParameters({
        accountname: 'a',
        container: 'c',
        credentials: { type: 'default_credentials' },
      }).credentials,
    ).to.deep.equal({ type: 'default_credentials' });
    expect(
      fromParameters({ connectionstring: 'UseDevelopmentStorage=true', container: 'c' }),
    ).to.deep.include({ connectionString: 'UseDevelopmentStorage=true', credentials: undefined });
  });

  it('name the key that is wrong', async () => {
    const registry = new StorageDriverRegistry().register('azure', azureDriverFactory);
    const base = { accountname: 'acme', accountkey: 'a2V5', container: 'c' };
    const cases: [Record<string, unknown>, string][] = [
      [{ accountname: 'a', accountkey: 'k' }, '"container": is required'],
      [{ accountkey: 'k', container: 'c' }, '"accountname": is required unless connectionstring'],
      [{ accountname: 'a', container: 'c' }, '"accountkey": is required unless connectionstring'],
      [{ ...base, max_retries: -2 }, '"max_retries": expected an integer ≥ -1'],
      [{ ...base, retry_delay: 'soon' }, '"retry_delay": expected a duration'],
      [
        { ...base, copy_status_poll_delay: '1 minute' },
        '"copy_status_poll_delay": expected a duration',
      ],
      [
        { ...base, copy_status_poll_max_retry: -1 },
        '"copy_status_poll_max_retry": expected an integer ≥ 0',
      ],
      [
        { ...base, credentials: { type: 'magic' } },
        '"credentials.type": expected one of shared_key',
      ],
      [
        { ...base, credentials: { type: 'client_secret', clientid: 'c' } },
        '"credentials.tenantid": is required',
      ],
      [
        { ...base, credentials: { type: 'default_credentials', secret: 's' } },
        '"credentials.secret": unknown parameter',
      ],
      [
        { accountname: 'a', container: 'c', credentials: { type: 'shared_key' } },
        '"accountkey": is required with credentials type shared_key',
      ],
      [{ ...base, credentials: 'shared_key' }, '"credentials": expected a mapping'],
      [{ ...base, skipverify: true }, '"skipverify": unknown parameter'],
    ];
    for (const [parameters, message] of cases) {
      const failure = await registry.create('azure', parameters).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, JSON.stringify(parameters)).to.be.instanceOf(Error);
      expect((failure as Error).message).to.contain(`azure: invalid parameter ${message}`);
    }
  });

  it('build a driver for each kind of credentials without touching the network', async () => {
    const registry = new StorageDriverRegistry().register('azure', azureDriverFactory);
    for (const credentials of [
      {
        type: 'client_secret',
        tenantid: '00000000-0000-0000-0000-000000000000',
        clientid: 'c',
        secret: 's',
      },
      { type: 'default_credentials' },
    ]) {
      const driver = await registry.create('azure', {
        accountname: 'acme',
        container: 'c',
        credentials,
      });
      expect(driver.name).to.equal('azure');
    }
  });
});
