#!/usr/bin/env node
// `npm start`: builds every package, then starts the registry — or, until the
// reference server exists (apps/registry, issue #4), says so and exits.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

if (existsSync('apps/registry/package.json')) {
  const server = spawnSync('npm', ['start', '--workspace', 'apps/registry'], { stdio: 'inherit' });
  process.exit(server.status ?? 1);
}

console.log(`
Lading: every package is built, but the registry server does not exist yet.
It arrives with the reference-server issue (apps/registry); until then there is
nothing to listen on.

What you can use today: the storage-driver contract, its conformance suite and
the filesystem and in-memory drivers — see docs/storage-drivers.md.
`);
