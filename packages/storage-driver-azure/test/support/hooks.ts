import { stopAzureTargets } from './azure-target.js';

/** Mocha root hooks: one Azurite serves every file; stop it when all are done. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopAzureTargets();
  },
};
