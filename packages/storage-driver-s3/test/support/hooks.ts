import { stopS3Targets } from './s3-target.js';

/** Mocha root hooks: one Swift serves every file; stop it when all are done. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopS3Targets();
  },
};
