import { ensureDebianPackages } from './debian-packages.js';
import { runCommand } from './run-command.js';

/**
 * An htpasswd file for distribution's `auth.htpasswd`, one `user:bcrypt-hash` line per user.
 * distribution 2.8 accepts bcrypt hashes only, and neither Node nor `openssl passwd` makes them
 * (openssl offers crypt, MD5, apr1, SHA-256 and SHA-512 crypt), so this runs Apache's
 * `htpasswd -niB` (Debian package apache2-utils), the tool distribution's docs use. The password
 * goes in on stdin, so it never shows up in a process list or an error message.
 */
export async function bcryptHtpasswd(users: Record<string, string>): Promise<string> {
  const entries = Object.entries(users);
  if (entries.length === 0) throw new Error('an htpasswd file needs at least one user');
  await ensureDebianPackages({ htpasswd: 'apache2-utils' });
  const lines: string[] = [];
  for (const [user, password] of entries) {
    if (!/^[^:\s]+$/.test(user)) {
      throw new Error(`htpasswd user names must be non-empty, without ":" or spaces: ${user}`);
    }
    if (/[\r\n]/.test(password)) throw new Error(`the password of ${user} has a line break`);
    // -n: print instead of writing a file; -i: password from stdin; -B: bcrypt; -C 4: the
    // lowest cost bcrypt allows, so each login in a test costs a millisecond, not hundreds.
    const { stdout } = await runCommand('htpasswd', ['-niB', '-C', '4', user], {
      input: password,
    });
    const line = stdout.trim();
    if (!line.startsWith(`${user}:$2y$`)) {
      throw new Error(
        `htpasswd -niB printed no bcrypt entry for ${user}: ${JSON.stringify(stdout)}`,
      );
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
