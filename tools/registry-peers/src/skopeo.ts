import { ensureDebianPackages } from './debian-packages.js';
import { runCommand, type CommandOutput } from './run-command.js';

/**
 * Runs `skopeo --insecure-policy ARGS…`. The signature policy is switched off because skopeo
 * refuses every copy when /etc/containers/policy.json is missing (it comes from another Debian
 * package, and a machine's admin may tighten it); these are test images between local places.
 * Rejects with a CommandFailedError carrying skopeo's stderr unless it exits 0.
 */
export async function skopeo(args: string[]): Promise<CommandOutput> {
  await ensureDebianPackages({ skopeo: 'skopeo' });
  return runCommand('skopeo', ['--insecure-policy', ...args]);
}

export interface CopyImageOptions {
  /** Copy every image of an index (manifest list) too, not just the one for this platform. */
  all?: boolean;
}

/**
 * `skopeo copy` over plain HTTP with `--preserve-digests`, which makes skopeo fail rather than
 * rewrite a manifest (convert its format or recompress layers), so the bytes that arrive are
 * the bytes that left. Source and destination are skopeo references, e.g. `oci:DIR:TAG` or
 * `docker://127.0.0.1:PORT/REPO:TAG`.
 */
export async function copyImage(
  source: string,
  destination: string,
  options: CopyImageOptions = {},
): Promise<void> {
  await skopeo([
    'copy',
    '--preserve-digests',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    ...(options.all === true ? ['--all'] : []),
    source,
    destination,
  ]);
}

/** The manifest (or index) exactly as the source serves it: `skopeo inspect --raw`. */
export async function inspectRaw(reference: string): Promise<string> {
  const { stdout } = await skopeo(['inspect', '--raw', '--tls-verify=false', reference]);
  return stdout;
}
