import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDebianRequirements } from './debian-packages.js';
import { findCommand } from './find-command.js';

/**
 * Where Debian's postgresql-<major> packages put the server and its tools. None of it is on
 * PATH: Debian links only the clients (psql through pg_wrapper), so a psql on PATH says
 * nothing about whether a server is installed.
 */
export const debianPostgresRoot = '/usr/lib/postgresql';

/** The programs startPostgres runs from one bin directory, so client and server match. */
export const postgresPrograms = ['initdb', 'postgres', 'pg_isready', 'psql'] as const;

/** The programs of postgresPrograms that `binDirectory` lacks. */
export async function missingPostgresPrograms(binDirectory: string): Promise<string[]> {
  const missing: string[] = [];
  for (const program of postgresPrograms) {
    if ((await findCommand(join(binDirectory, program))) === undefined) missing.push(program);
  }
  return missing;
}

/** The newest `<root>/<major>/bin` with every program in postgresPrograms, or undefined. */
export async function findDebianPostgres(root = debianPostgresRoot): Promise<string | undefined> {
  let versions: string[];
  try {
    versions = await readdir(root);
  } catch {
    return undefined;
  }
  // "15", or "9.6" before PostgreSQL 10.
  const newestFirst = versions
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of newestFirst) {
    const binDirectory = join(root, version, 'bin');
    if ((await missingPostgresPrograms(binDirectory)).length === 0) return binDirectory;
  }
  return undefined;
}

/**
 * The bin directory startPostgres runs from: `requested` if given (it must have every
 * program), else the newest Debian one, installing Debian's `postgresql` first when there is
 * none.
 */
export async function postgresBinDirectory(requested?: string): Promise<string> {
  if (requested !== undefined) {
    const binDirectory = resolve(requested);
    const missing = await missingPostgresPrograms(binDirectory);
    if (missing.length > 0) {
      throw new Error(`${binDirectory} has no executable ${missing.join(', ')}`);
    }
    return binDirectory;
  }
  await ensureDebianRequirements([
    {
      description: `PostgreSQL server (${debianPostgresRoot}/<major>/bin/{${postgresPrograms.join(',')}})`,
      debianPackage: 'postgresql',
      isPresent: async () => (await findDebianPostgres()) !== undefined,
    },
  ]);
  const binDirectory = await findDebianPostgres();
  // ensureDebianRequirements has just checked it.
  if (binDirectory === undefined) throw new Error(`no PostgreSQL under ${debianPostgresRoot}`);
  return binDirectory;
}
