import { stopOssTargets } from './oss-target.js';

/** Mocha root hooks: one emulator serves every file; stop it when all are done. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopOssTargets();
  },
};
