import { fileURLToPath } from 'node:url';

/** The CLI's source file, for `node --import tsx/esm <ossEmulatorCli> --directory DIR …`. */
export const ossEmulatorCli = fileURLToPath(new URL('./cli.ts', import.meta.url));
