import { InvalidDriverParameterError, StorageDriverRegistry } from '@lading/storage-driver';
import { expect } from 'chai';
import { keyValueDriverFactory } from '../src/index.js';

describe('keyvalue driver factory', () => {
  it('is chosen by name, as config.yml does', async () => {
    const registry = new StorageDriverRegistry();
    registry.register('keyvalue', keyValueDriverFactory);
    const driver = await registry.create('keyvalue', { store: 'memory' });
    await driver.putContent('/hello', Buffer.from('world'));
    expect((await driver.getContent('/hello')).toString()).to.equal('world');
  });

  it('names a misspelt key', async () => {
    const registry = new StorageDriverRegistry().register('keyvalue', keyValueDriverFactory);
    try {
      await registry.create('keyvalue', { stroe: 'memory' });
      expect.fail('create should fail');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidDriverParameterError);
      expect((error as Error).message).to.equal(
        'keyvalue: invalid parameter "stroe": unknown parameter (known: store)',
      );
    }
  });

  it('refuses a store it does not have', () => {
    expect(() => keyValueDriverFactory({ store: 'redis' })).to.throw(/not supported/);
  });
});
