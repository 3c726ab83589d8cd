import type { StorageDriver } from '@lading/storage-driver';

/** Only `name` matters to the assertions under test. */
export function createStubDriver(): StorageDriver {
  const unused = (): Promise<never> => Promise.reject(new Error('not used'));
  return {
    name: 'stub',
    getContent: unused,
    putContent: unused,
    reader: unused,
    writer: unused,
    stat: unused,
    list: unused,
    move: unused,
    delete: unused,
    redirectURL: unused,
    walk: unused,
  };
}
