import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDebianPackages } from './debian-packages.js';
import {
  maxRunRootLength,
  podmanConfigFiles,
  podmanDirectories,
  podmanEnvironment,
  podmanGlobalArgs,
  podmanPaths,
  type PodmanPaths,
} from './podman-config.js';
import { removeTree } from './remove-tree.js';
import { runCommand, type CommandOutput } from './run-command.js';

/** Where Debian's netavark package puts the binary podman runs (not on PATH). */
const netavarkBinary = '/usr/lib/podman/netavark';

export interface PodmanOptions {
  /**
   * The directory to keep everything in; created if missing, and it must be empty, because
   * dispose() deletes it. By default a new `lading-podman-*` directory under the temp dir.
   */
  directory?: string;
}

/** One podman with its own storage, config and credentials; see createPodman. */
export interface Podman {
  /** The directory that holds all of it but the runroot. */
  readonly directory: string;
  /** --runroot, a short `lading-podman-run-*` temp dir of its own (podman wants ≤ 50 chars). */
  readonly runRoot: string;
  /** The containers-auth.json(5) file login writes and pull/push read. */
  readonly authFile: string;
  /** `podman <isolation flags> ARGS…`; rejects with CommandFailedError unless it exits 0. */
  run(args: string[]): Promise<CommandOutput>;
  /**
   * `podman pull --tls-verify=false`, so plain HTTP works; `reference` is anything podman
   * pulls: `127.0.0.1:PORT/REPO:TAG`, `docker://…`, `oci:DIR:TAG`. Resolves with the image ID
   * (64 hex digits, no `sha256:`), which for an OCI image is its config's digest.
   *
   * podman 4.3 names an image from `oci:DIR:TAG` `localhost/DIR:latest` (the TAG is dropped)
   * and fails when DIR has a capital letter, as mkdtemp names do. So `oci:` references go
   * through a relative symlink instead, and the image is named `localhost/oci-layout-N:latest`
   * (N counts this instance's layout pulls); tag the returned ID to name it.
   */
  pull(reference: string): Promise<string>;
  /**
   * `podman push --tls-verify=false --digestfile …`, with no --format and no
   * --compression-format, so podman keeps the manifest type and reuses compressed layers it
   * knows the registry has (see the README on what it rewrites anyway). Resolves with the
   * digest of the manifest it pushed.
   */
  push(source: string, destination: string): Promise<string>;
  tag(source: string, target: string): Promise<void>;
  /** `podman login --tls-verify=false`, the password on stdin, credentials into authFile. */
  login(registry: string, username: string, password: string): Promise<void>;
  /** `podman logout`; rejects when there was no login for `registry`, as podman does. */
  logout(registry: string): Promise<void>;
  /**
   * The manifest digest podman recorded for the image (`{{.Digest}}` of image inspect): the
   * digest of the manifest it was first pulled with. Not per name; see the README.
   */
  imageDigest(reference: string): Promise<string>;
  /** Removes any containers, then the directory and the runroot; later calls do nothing. */
  dispose(): Promise<void>;
}

/**
 * An isolated podman: its own --root, --runroot, temp dirs, containers.conf, storage.conf,
 * registries.conf, policy.json and auth file, all in one directory, and an environment that
 * keeps /etc/containers and the caller's HOME out of it (see podmanEnvironment). Storage is
 * vfs, cgroups are cgroupfs, events go to a file, so it needs no daemon, systemd or D-Bus.
 * Installs Debian's podman first when it is missing.
 */
export async function createPodman(options: PodmanOptions = {}): Promise<Podman> {
  // netavark is the network backend (see containers.conf), and podman 4.3 fails every command,
  // even `images`, without it. Debian's podman gets it only through a Recommends or one of two
  // alternatives, so ask for it by its path.
  await ensureDebianPackages({ podman: 'podman', [netavarkBinary]: 'netavark' });
  const directory = await isolatedDirectory(options.directory);
  let runRoot: string | undefined;
  try {
    runRoot = await shortTemporaryDirectory('lading-podman-run-');
    const paths = podmanPaths(directory, runRoot);
    for (const path of podmanDirectories(paths)) await mkdir(path, { recursive: true });
    for (const [path, content] of podmanConfigFiles(paths)) await writeFile(path, content);
    return isolatedPodman(paths);
  } catch (error) {
    await removeTree(directory);
    if (runRoot !== undefined) await removeTree(runRoot);
    throw error;
  }
}

function isolatedPodman(paths: PodmanPaths): Podman {
  const { directory, runRoot } = paths;

  const env = podmanEnvironment(paths, process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin');
  const globalArgs = podmanGlobalArgs(paths);
  const run = (args: readonly string[], input?: string, cwd?: string) =>
    runCommand('podman', [...globalArgs, ...args], { env, inheritEnv: false, input, cwd });
  // Flags for every command that talks to a registry.
  const registryArgs = [
    '--tls-verify=false',
    '--authfile',
    paths.authFile,
    '--cert-dir',
    paths.certDir,
  ];
  let pushes = 0;
  let layoutPulls = 0;
  let disposed: Promise<void> | undefined;

  const pullQuietly = async (reference: string, cwd?: string) => {
    const { stdout } = await run(['pull', '--quiet', ...registryArgs, reference], undefined, cwd);
    const id = stdout.trim().split('\n').at(-1) ?? '';
    if (!/^[0-9a-f]{64}$/.test(id)) {
      throw new Error(`podman pull ${reference} printed no image ID: ${JSON.stringify(stdout)}`);
    }
    return id;
  };

  return {
    directory,
    runRoot,
    authFile: paths.authFile,
    run: (args) => run(args),
    async pull(reference) {
      const layout = parseOciReference(reference);
      if (layout === undefined) return pullQuietly(reference);
      layoutPulls += 1;
      const name = `oci-layout-${layoutPulls}`;
      const link = join(paths.ociLinks, name);
      await symlink(resolve(layout.directory), link);
      try {
        return await pullQuietly(`oci:${name}${layout.rest}`, paths.ociLinks);
      } finally {
        await rm(link, { force: true });
      }
    },
    async push(source, destination) {
      pushes += 1;
      const digestFile = join(paths.tmp, `push-${pushes}.digest`);
      try {
        await run([
          'push',
          '--quiet',
          ...registryArgs,
          '--digestfile',
          digestFile,
          source,
          destination,
        ]);
        const digest = (await readFile(digestFile, 'utf8')).trim();
        if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
          throw new Error(`podman push ${source} ${destination} wrote no digest: ${digest}`);
        }
        return digest;
      } finally {
        await rm(digestFile, { force: true });
      }
    },
    async tag(source, target) {
      await run(['tag', source, target]);
    },
    async login(registry, username, password) {
      const args = ['login', ...registryArgs, '--username', username, '--password-stdin', registry];
      await run(args, password);
    },
    async logout(registry) {
      await run(['logout', '--authfile', paths.authFile, registry]);
    },
    async imageDigest(reference) {
      const { stdout } = await run(['image', 'inspect', '--format', '{{.Digest}}', reference]);
      const digest = stdout.trim();
      if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
        throw new Error(`podman recorded no manifest digest for ${reference}: ${digest}`);
      }
      return digest;
    },
    dispose() {
      disposed ??= (async () => {
        // Containers started through run() would keep conmon and the container running, and
        // their files busy; with none, this costs one quick podman call.
        await run(['rm', '--all', '--force', '--time', '0']).catch(() => undefined);
        await removeTree(directory);
        await removeTree(runRoot);
      })();
      return disposed;
    },
  };
}

/** `oci:DIR[:REF]` split into DIR and `:REF` (or ''); undefined for any other transport. */
function parseOciReference(reference: string): { directory: string; rest: string } | undefined {
  if (!reference.startsWith('oci:')) return undefined;
  const withinTransport = reference.slice('oci:'.length);
  // containers/image splits at the first colon: an OCI layout path cannot contain one.
  const colon = withinTransport.indexOf(':');
  return colon === -1
    ? { directory: withinTransport, rest: '' }
    : { directory: withinTransport.slice(0, colon), rest: withinTransport.slice(colon) };
}

/** A new temp dir whose path podman accepts as a runroot: under TMPDIR if short enough. */
async function shortTemporaryDirectory(prefix: string): Promise<string> {
  // mkdtemp appends six characters.
  const fits = (base: string) => join(base, prefix).length + 6 <= maxRunRootLength;
  const base = fits(tmpdir()) ? tmpdir() : '/tmp';
  if (!fits(base)) throw new Error(`no temp dir short enough for a podman runroot: ${base}`);
  return mkdtemp(join(base, prefix));
}

async function isolatedDirectory(requested: string | undefined): Promise<string> {
  if (requested === undefined) return mkdtemp(join(tmpdir(), 'lading-podman-'));
  const directory = resolve(requested);
  await mkdir(directory, { recursive: true });
  const entries = await readdir(directory);
  if (entries.length > 0) {
    throw new Error(
      `createPodman needs an empty directory, because dispose() deletes it; ${directory} has ` +
        entries.slice(0, 5).join(', '),
    );
  }
  return directory;
}
