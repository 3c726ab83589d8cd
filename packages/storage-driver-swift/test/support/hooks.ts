import { stopSwiftTargets } from './swift-target.js';

/** Mocha root hooks: one Swift serves every file; stop it when all are done. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopSwiftTargets();
  },
};
