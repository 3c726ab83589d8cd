import { fileURLToPath } from 'node:url';

/** The CLI's source file, for `node --import tsx/esm <gcsEmulatorCli> --directory DIR …`. */
export const gcsEmulatorCli = fileURLToPath(new URL('./cli.ts', import.meta.url));
