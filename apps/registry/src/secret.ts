import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The secret that signs upload URLs (`http.secret`). Replicas must share it;
 * without one, distribution makes a random one per start and warns. A path
 * keeps a generated secret across restarts of a single server (the embedded
 * default), so an upload survives a restart.
 */
export async function uploadSecret(
  configured: string | undefined,
  persistAt?: string,
): Promise<{ secret: string; generated: boolean }> {
  if (configured !== undefined && configured !== '')
    return { secret: configured, generated: false };
  if (persistAt === undefined) return { secret: randomBytes(32).toString('hex'), generated: true };
  try {
    const stored = (await readFile(persistAt, 'utf8')).trim();
    if (stored !== '') return { secret: stored, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('hex');
  await mkdir(dirname(persistAt), { recursive: true });
  await writeFile(persistAt, `${secret}\n`, { mode: 0o600 });
  return { secret, generated: false };
}
