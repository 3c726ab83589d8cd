import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageDriver } from '@lading/storage-driver-testsuite';
import { createFilesystemDriver } from '../src/index.js';

const root = await mkdtemp(join(tmpdir(), 'lading-fs-conformance-'));

describeStorageDriver('filesystem', () => createFilesystemDriver({ rootDirectory: root }), {
  teardown: () => rm(root, { recursive: true, force: true }),
});
