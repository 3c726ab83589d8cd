import { NameInvalidError } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { expect } from 'chai';
import { compareRepositoryNames, createRegistryEngine, layout } from '../src/index.js';
import { describeOnDrivers, pushImage, rejectionOf } from './support.js';

const names = [
  'group',
  'group/app',
  'group/app/nested',
  'group/app/nested/deeper',
  'group/app-b',
  'group/tool',
  'group-b/app',
  'groupb',
  'other/group',
];

/** `driver`, recording every call and the path it was made on. */
function recording(driver: StorageDriver, calls: string[]): StorageDriver {
  return new Proxy(driver, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(`${String(property)} ${String(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describeOnDrivers('repositoriesUnder', (harness) => {
  beforeEach(async () => {
    const { engine } = harness();
    for (const name of names) await pushImage(engine.repository(name), { tag: 'v1' });
    // Neither an upload nor a linked blob alone makes a repository.
    await engine.repository('group/uploading').uploads.start();
    await engine.repository('group/linked').uploads.upload(Buffer.from('a blob'));
  });

  it('lists the prefix itself and what lies below it, in catalog order', async () => {
    const { engine } = harness();
    expect(await engine.repositoriesUnder('group')).to.deep.equal([
      'group',
      'group/app',
      'group/app/nested',
      'group/app/nested/deeper',
      'group/app-b',
      'group/tool',
    ]);
    expect(await engine.repositoriesUnder('group/app')).to.deep.equal([
      'group/app',
      'group/app/nested',
      'group/app/nested/deeper',
    ]);
    expect(await engine.repositoriesUnder('group/app/nested/deeper')).to.deep.equal([
      'group/app/nested/deeper',
    ]);
    // The same as filtering the catalog, which reads everything.
    const { repositories } = await engine.catalog();
    for (const prefix of ['group', 'group/app', 'group-b', 'other', 'groupb']) {
      expect(await engine.repositoriesUnder(prefix), prefix).to.deep.equal(
        repositories.filter((name) => name === prefix || name.startsWith(`${prefix}/`)),
      );
    }
    expect(
      [...(await engine.repositoriesUnder('group'))].sort(compareRepositoryNames),
    ).to.deep.equal(await engine.repositoriesUnder('group'));
  });

  it('lists repositories below a prefix that is no repository itself', async () => {
    const { engine } = harness();
    expect(await engine.repositoriesUnder('group-b')).to.deep.equal(['group-b/app']);
    expect(await engine.repositoriesUnder('other')).to.deep.equal(['other/group']);
  });

  it('answers [] when there is nothing under the prefix', async () => {
    const { engine } = harness();
    for (const prefix of ['nothing', 'grou', 'group/ap', 'group/uploading', 'group/linked']) {
      expect(await engine.repositoriesUnder(prefix), prefix).to.deep.equal([]);
    }
  });

  it('reads only the directories under repositories/<prefix>', async () => {
    const calls: string[] = [];
    const engine = createRegistryEngine({ driver: recording(harness().driver, calls) });
    await engine.repositoriesUnder('group/app');
    const subtree = layout.repositoryPath('group/app');
    expect(calls).to.include(`list ${subtree}`);
    for (const call of calls) {
      expect(call, call).to.match(/^list /);
      const path = call.slice('list '.length);
      expect(path === subtree || path.startsWith(`${subtree}/`), path).to.equal(true);
      // Never into the repository's own directories, where no repository lives.
      expect(
        path.split('/').some((part) => part.startsWith('_')),
        path,
      ).to.equal(false);
    }
  });

  it('refuses a prefix that is no repository name', async () => {
    const { engine } = harness();
    for (const prefix of [
      '',
      'Group',
      'group/',
      '/group',
      'group//app',
      '../group',
      'group/_manifests',
    ]) {
      expect(await rejectionOf(engine.repositoriesUnder(prefix)), prefix).to.be.instanceOf(
        NameInvalidError,
      );
    }
  });
});
