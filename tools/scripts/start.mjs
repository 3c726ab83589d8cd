#!/usr/bin/env node
// `npm start`: builds every package, then runs `lading serve` in this process
// (so signals reach it directly) with the embedded default: 127.0.0.1:5000,
// storage under ./data. Arguments after `--` go to `lading serve`:
// `npm start -- config.yml`.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = 'apps/registry/dist/cli.js';
process.argv = [process.argv[0], cli, 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(cli).href);
