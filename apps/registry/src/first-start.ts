import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectsModel } from '@lading/projects';
import { generateSigningKey } from './keys.js';

/** Makes `token.key` and `token.pem` in `directory` unless the key is there. True when it made them. */
export async function ensureSigningKey(directory: string): Promise<boolean> {
  try {
    await access(join(directory, 'token.key'));
    return false;
  } catch {
    await generateSigningKey({
      directory,
      algorithm: 'ES256',
      commonName: 'Lading token signer',
      days: 3650,
    });
    return true;
  }
}

export interface InitialAdmin {
  readonly username: string;
  readonly password: string;
  readonly passwordFile: string;
}

/**
 * On a database with no users, an administrator with a random password,
 * written first to `passwordFile` (owner-only, never overwritten), so the
 * password exists somewhere safe before the account does.
 */
export async function ensureInitialAdmin(
  model: ProjectsModel,
  username: string,
  passwordFile: string,
): Promise<InitialAdmin | undefined> {
  if ((await model.users.list()).length > 0) return undefined;
  const { randomPassword } = await import('@lading/projects');
  const password = randomPassword();
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' }).catch(
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new Error(
        `${passwordFile} exists but the database has no users: move it away and start again to create a new administrator`,
        { cause: error },
      );
    },
  );
  try {
    await model.users.create({ username, email: `${username}@localhost`, password, admin: true });
  } catch (error) {
    await rm(passwordFile, { force: true });
    throw error;
  }
  return { username, password, passwordFile };
}
