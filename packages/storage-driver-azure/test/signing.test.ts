import { BlobClient, type BlobServiceClient, type UserDelegationKey } from '@azure/storage-blob';
import { expect } from 'chai';
import { delegationSigner } from '../src/azure-client.js';

describe('azure redirect signing with Azure AD credentials', () => {
  it('signs read SAS URLs with a user delegation key, asking for the key once', async () => {
    const asked: [Date, Date][] = [];
    const service = {
      accountName: 'acme',
      getUserDelegationKey: (
        startsOn: Date,
        expiresOn: Date,
      ): ReturnType<BlobServiceClient['getUserDelegationKey']> => {
        asked.push([startsOn, expiresOn]);
        const key: UserDelegationKey = {
          signedObjectId: '11111111-1111-1111-1111-111111111111',
          signedTenantId: '22222222-2222-2222-2222-222222222222',
          signedStartsOn: startsOn,
          signedExpiresOn: expiresOn,
          signedService: 'b',
          signedVersion: '2025-11-05',
          value: Buffer.alloc(32, 1).toString('base64'),
        };
        return Promise.resolve(
          key as Awaited<ReturnType<BlobServiceClient['getUserDelegationKey']>>,
        );
      },
    };
    const sign = delegationSigner(service, 'registry');
    const blob = new BlobClient(
      'https://acme.blob.core.windows.net/registry/docker/registry/v2/blob',
    );
    const expiresOn = new Date(Date.now() + 20 * 60 * 1000);
    const first = new URL(await sign(blob, expiresOn));
    const second = new URL(await sign(blob, expiresOn));
    expect(asked).to.have.length(1);
    expect(first.pathname).to.equal('/registry/docker/registry/v2/blob');
    expect(first.searchParams.get('sp')).to.equal('r');
    expect(first.searchParams.get('skoid')).to.equal('11111111-1111-1111-1111-111111111111');
    expect(first.searchParams.get('sig')).to.be.a('string');
    expect(new Date(String(first.searchParams.get('se'))).getTime()).to.be.closeTo(
      expiresOn.getTime(),
      1000,
    );
    expect(second.searchParams.get('sig')).to.equal(first.searchParams.get('sig'));
    const [startsOn, keyExpiresOn] = asked[0] ?? [];
    expect(Number(keyExpiresOn) - Number(startsOn)).to.be.greaterThan(60 * 60 * 1000);
  });
});
