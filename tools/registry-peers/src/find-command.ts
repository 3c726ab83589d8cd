import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * Where `command` is on PATH, like `command -v`, or undefined. Looks at the directories itself
 * instead of spawning a shell, so checking an installed command costs well under a millisecond.
 */
export async function findCommand(
  command: string,
  path = process.env.PATH ?? '',
): Promise<string | undefined> {
  if (command.includes('/')) return (await isExecutable(command)) ? command : undefined;
  for (const directory of path.split(delimiter)) {
    if (directory === '') continue;
    const candidate = join(directory, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    // A directory is "executable" to access(2) too; only a file is a command.
    if (!(await stat(file)).isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
