import { expect } from 'chai';
import { parse, parseFailure, yaml } from './helpers.js';

function storage(section: string, more = '') {
  return parse(`version: 0.1\nstorage:\n${section.replace(/^/gm, '  ')}\n${more}`);
}

function storageFailure(section: string, more = '') {
  return parseFailure(`version: 0.1\nstorage:\n${section.replace(/^/gm, '  ')}\n${more}`);
}

describe('storage', () => {
  it('takes the one key that is not a setting as the driver, parameters unchecked', () => {
    const { config } = storage(yaml`
      filesystem:
        rootdirectory: /var/lib/registry
        maxthreads: 100
        anything: {goes: [here]}
      delete: {enabled: true}
      redirect: {disable: true}
    `);
    expect(config.storage.driver).to.deep.equal({
      name: 'filesystem',
      parameters: {
        rootdirectory: '/var/lib/registry',
        maxthreads: 100,
        anything: { goes: ['here'] },
      },
    });
    expect(config.storage.delete.enabled).to.equal(true);
    expect(config.storage.redirect.disable).to.equal(true);
  });

  it('accepts a third-party driver, a bare driver name and a driver without parameters', () => {
    expect(storage('my-plugin_2: {endpoint: x}').config.storage.driver).to.deep.equal({
      name: 'my-plugin_2',
      parameters: { endpoint: 'x' },
    });
    expect(parse('version: 0.1\nstorage: inmemory\n').config.storage.driver).to.deep.equal({
      name: 'inmemory',
      parameters: {},
    });
    expect(storage('gcs:').config.storage.driver).to.deep.equal({ name: 'gcs', parameters: {} });
  });

  it('lower-cases parameter keys, refusing two that then collide', () => {
    expect(
      storage('s3: {Bucket: b, RegionEndpoint: r}').config.storage.driver.parameters,
    ).to.deep.equal({
      bucket: 'b',
      regionendpoint: 'r',
    });
    const error = storageFailure('s3: {bucket: a, Bucket: b}');
    expect(error.message).to.equal(
      'config.yml: storage.s3.Bucket: repeats parameter "bucket" (names are not case-sensitive); expected each parameter once',
    );
  });

  it('refuses no driver, several drivers, a bad driver name and bad parameters', () => {
    expect(parseFailure('version: 0.1\n').message).to.equal(
      'config.yml: storage: missing; expected exactly one storage driver section, such as filesystem, s3, gcs, azure or inmemory',
    );
    expect(storageFailure('delete: {enabled: true}').message).to.equal(
      'config.yml: storage: no storage driver; expected exactly one storage driver section, such as filesystem, s3, gcs, azure or inmemory',
    );
    const several = storageFailure('filesystem: {}\ns3: {}');
    expect(several.message).to.equal(
      'config.yml: storage: several storage drivers: filesystem, s3; expected exactly one',
    );
    expect(several.value).to.deep.equal(['filesystem', 's3']);
    expect(storageFailure('inmemory:\ndelet: {enabled: true}').message).to.equal(
      'config.yml: storage: several storage drivers: inmemory, delet; expected exactly one (is "delet" a misspelt "delete"?)',
    );
    expect(storageFailure('FileSystem: {}').message).to.equal(
      'config.yml: storage.FileSystem: "FileSystem" is not a storage driver name; expected a lowercase name such as filesystem or s3',
    );
    expect(storageFailure('filesystem: /var/lib/registry').message).to.equal(
      'config.yml: storage.filesystem: "/var/lib/registry" is not valid; expected a mapping of driver parameters',
    );
    expect(parseFailure('version: 0.1\nstorage: [filesystem]\n').message).to.equal(
      'config.yml: storage: ["filesystem"] is not valid; expected a mapping',
    );
  });

  it('reads the blob descriptor cache, under its old name too', () => {
    expect(
      storage('inmemory:\ncache: {blobdescriptor: inmemory, blobdescriptorsize: 0}').config.storage
        .cache,
    ).to.deep.equal({
      blobdescriptor: 'inmemory',
      blobdescriptorsize: 0,
    });
    expect(storage('inmemory:\ncache: {layerinfo: inmemory}').config.storage.cache).to.deep.equal({
      blobdescriptor: 'inmemory',
    });
    expect(
      storage('inmemory:\ncache: {blobdescriptor: redis}', 'redis: {addr: "r:6379"}\n').config
        .storage.cache,
    ).to.deep.equal({ blobdescriptor: 'redis' });
    expect(storage('inmemory:\ncache: {blobdescriptor: ""}').config.storage.cache).to.deep.equal(
      {},
    );
  });

  it('refuses a cache it does not know, or redis without a redis section', () => {
    expect(storageFailure('inmemory:\ncache: {blobdescriptor: memcached}').message).to.equal(
      'config.yml: storage.cache.blobdescriptor: "memcached" is not valid; expected one of inmemory, redis',
    );
    expect(storageFailure('inmemory:\ncache: {layerinfo: redis}').message).to.equal(
      'config.yml: storage.cache.layerinfo: "redis" is not valid; expected inmemory, or a redis section to cache in redis',
    );
    expect(storageFailure('inmemory:\ncache: {blobdescriptorsize: -1}').message).to.equal(
      'config.yml: storage.cache.blobdescriptorsize: -1 is not valid; expected a whole number ≥ 0',
    );
  });

  it('reads maintenance and the tag concurrency limit', () => {
    const { config, warnings } = storage(yaml`
      inmemory:
      maintenance:
        uploadpurging: {enabled: false, age: 1h30m, interval: 3600000000000, dryrun: true}
        readonly: {enabled: true}
      tag: {concurrencylimit: 4}
    `);
    expect(config.storage.maintenance).to.deep.equal({
      uploadpurging: { enabled: false, age: 5_400_000, interval: 3_600_000, dryrun: true },
      readonly: { enabled: true },
    });
    expect(config.storage.tag).to.deep.equal({ concurrencylimit: 4 });
    expect(warnings).to.deep.equal([
      'storage.maintenance.uploadpurging.interval: 3600000000000 has no unit and is read as nanoseconds, as distribution does; write "3600000000000s" if seconds were meant',
    ]);
  });

  it('names the key of a bad maintenance value', () => {
    expect(storageFailure('inmemory:\nmaintenance: {uploadpurging: {age: 7d}}').message).to.equal(
      'config.yml: storage.maintenance.uploadpurging.age: "7d" is not valid; expected a duration such as "10s", "1h30m" or "500ms"',
    );
    expect(
      storageFailure('inmemory:\nmaintenance: {uploadpurging: {interval: -1h}}').message,
    ).to.equal(
      'config.yml: storage.maintenance.uploadpurging.interval: "-1h" is not valid; expected a duration such as "10s", "1h30m" or "500ms", not negative',
    );
    expect(storageFailure('inmemory:\nmaintenance: {uploadpurging: {age: [1h]}}').key).to.equal(
      'storage.maintenance.uploadpurging.age',
    );
    expect(storageFailure('inmemory:\nmaintenance: {readonly: {enabled: "yes"}}').message).to.equal(
      'config.yml: storage.maintenance.readonly.enabled: "yes" is not valid; expected true or false',
    );
    expect(storageFailure('inmemory:\ntag: {concurrencylimit: 1.5}').message).to.equal(
      'config.yml: storage.tag.concurrencylimit: 1.5 is not valid; expected a whole number ≥ 0',
    );
  });
});
