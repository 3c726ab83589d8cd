import { InvalidDriverParameterError, StorageDriverRegistry } from '@lading/storage-driver';
import { storageErrorOf } from '@lading/storage-driver-testsuite';
import { expect } from 'chai';
import { createInMemoryDriver, fromParameters, inMemoryDriverFactory } from '../src/index.js';

describe('inmemory driver', () => {
  it('is built by name from a registry and takes no parameters', async () => {
    const registry = new StorageDriverRegistry().register('inmemory', inMemoryDriverFactory);
    expect((await registry.create('inmemory', {})).name).to.equal('inmemory');
    expect(fromParameters({})).to.deep.equal({});
    const error = await storageErrorOf(registry.create('inmemory', { rootdirectory: '/x' }));
    expect(error).to.be.instanceOf(InvalidDriverParameterError);
    expect(error.message).to.equal(
      'inmemory: invalid parameter "rootdirectory": unknown parameter (known: none)',
    );
  });

  it('keeps drivers apart', async () => {
    const [a, b] = [createInMemoryDriver(), createInMemoryDriver()];
    await a.putContent('/f', Buffer.from('a'));
    expect(await b.list('/')).to.deep.equal([]);
  });

  it('lets a reader finish the content it started with while the file is replaced', async () => {
    const driver = createInMemoryDriver();
    await driver.putContent('/f', Buffer.alloc(200_000, 1));
    const stream = await driver.reader('/f');
    await driver.putContent('/f', Buffer.from('new'));
    const chunks = (await stream.toArray()) as Buffer[];
    expect(Buffer.concat(chunks).equals(Buffer.alloc(200_000, 1))).to.equal(true);
  });

  it('copies what it is given, so callers may reuse their buffers', async () => {
    const driver = createInMemoryDriver();
    const buffer = Buffer.from('original');
    await driver.putContent('/put', buffer);
    const writer = await driver.writer('/written');
    await writer.write(buffer);
    await writer.commit();
    buffer.fill(0);
    expect((await driver.getContent('/put')).toString()).to.equal('original');
    expect((await driver.getContent('/written')).toString()).to.equal('original');
  });

  it('moves directories, and a file onto itself', async () => {
    const driver = createInMemoryDriver();
    await driver.putContent('/d/a/f', Buffer.from('f'));
    await driver.move('/d/a', '/e/b');
    expect((await driver.getContent('/e/b/f')).toString()).to.equal('f');
    expect(await driver.list('/')).to.deep.equal(['/e']);
    await driver.move('/e/b/f', '/e/b/f');
    expect((await driver.getContent('/e/b/f')).toString()).to.equal('f');
  });

  it('refuses a move into itself or below a file', async () => {
    const driver = createInMemoryDriver();
    await driver.putContent('/d/f', Buffer.from('f'));
    await driver.putContent('/file', Buffer.from('x'));
    expect((await storageErrorOf(driver.move('/d', '/d/sub'))).message).to.contain('into itself');
    expect((await storageErrorOf(driver.move('/d/f', '/file/f'))).message).to.contain(
      'a file is in the way',
    );
    expect(
      (await storageErrorOf(driver.putContent('/file/below', Buffer.from('y')))).message,
    ).to.contain('a file is in the way');
    expect((await driver.getContent('/d/f')).toString()).to.equal('f');
  });

  it('prunes directories left empty', async () => {
    const driver = createInMemoryDriver();
    await driver.putContent('/a/b/c/f', Buffer.from('x'));
    await driver.putContent('/a/g', Buffer.from('y'));
    await driver.delete('/a/b/c/f');
    expect(await driver.list('/a')).to.deep.equal(['/a/g']);
    await driver.delete('/a/g');
    expect(await driver.list('/')).to.deep.equal([]);
  });

  it('lets a newer writer take a path over from an older one', async () => {
    const driver = createInMemoryDriver();
    const older = await driver.writer('/f');
    await older.write(Buffer.from('old'));
    const newer = await driver.writer('/f');
    await newer.write(Buffer.from('new'));
    await older.cancel();
    await newer.close();
    const resumed = await driver.writer('/f', true);
    expect(resumed.size).to.equal(3);
    await resumed.commit();
    expect((await driver.getContent('/f')).toString()).to.equal('new');
  });
});

describe('inmemory driver, replacing a directory', () => {
  it('refuses to put a file where a directory is, as a filesystem does', async () => {
    const driver = createInMemoryDriver();
    await driver.putContent('/d/f', Buffer.from('x'));
    await driver.putContent('/g', Buffer.from('y'));
    expect((await storageErrorOf(driver.putContent('/d', Buffer.from('z')))).message).to.contain(
      'a directory is in the way',
    );
    expect((await storageErrorOf(driver.move('/g', '/d'))).message).to.contain(
      'a directory is in the way',
    );
    expect((await driver.getContent('/d/f')).toString()).to.equal('x');
    expect((await driver.getContent('/g')).toString()).to.equal('y');
  });
});
