import { join } from 'node:path';

/** Where an isolated podman keeps everything, all under one directory. */
export interface PodmanPaths {
  directory: string;
  /** HOME: podman's per-user config (registries.conf, policy.json, registries.d) lives here. */
  home: string;
  /** CONTAINERS_CONF: the only containers.conf podman reads when it is set. */
  containersConf: string;
  /** CONTAINERS_STORAGE_CONF: the only storage.conf. */
  storageConf: string;
  /** $HOME/.config/containers/registries.conf; see podmanEnvironment for why not an env var. */
  registriesConf: string;
  /** $HOME/.config/containers/policy.json, found before /etc/containers/policy.json. */
  policy: string;
  /** $HOME/.config/containers/registries.d, found before /etc/containers/registries.d. */
  registriesD: string;
  /** --authfile and REGISTRY_AUTH_FILE; it must exist, or podman fails before pulling. */
  authFile: string;
  /** --cert-dir: an empty directory, so no client certificate from /etc is ever sent. */
  certDir: string;
  /** --root: images, the libpod database, volumes. */
  root: string;
  /**
   * --runroot: storage's runtime state. Not under `directory`: podman 4.3 refuses a runroot
   * longer than 50 characters ("the specified runroot is longer than 50 characters").
   */
  runRoot: string;
  /** --tmpdir (engine.tmp_dir): libpod's per-boot state, file locks, the events log. */
  libpodTmp: string;
  /** TMPDIR and image_copy_tmp_dir: where blobs wait during a pull. */
  tmp: string;
  /** --network-config-dir: instead of /etc/containers/networks. */
  networks: string;
  /** Where pull() links OCI layouts under lowercase relative names; see Podman.pull. */
  ociLinks: string;
}

/** The longest runroot podman 4.3 accepts. */
export const maxRunRootLength = 50;

export function podmanPaths(directory: string, runRoot: string): PodmanPaths {
  const home = join(directory, 'home');
  const userConfig = join(home, '.config', 'containers');
  return {
    directory,
    home,
    containersConf: join(directory, 'containers.conf'),
    storageConf: join(directory, 'storage.conf'),
    registriesConf: join(userConfig, 'registries.conf'),
    policy: join(userConfig, 'policy.json'),
    registriesD: join(userConfig, 'registries.d'),
    authFile: join(directory, 'auth.json'),
    certDir: join(directory, 'certs.d'),
    root: join(directory, 'storage', 'root'),
    runRoot,
    libpodTmp: join(directory, 'libpod-tmp'),
    tmp: join(directory, 'tmp'),
    networks: join(directory, 'networks'),
    ociLinks: join(directory, 'oci-layouts'),
  };
}

/** TOML basic strings share JSON's escapes for everything a path can hold. */
const toml = (value: string) => JSON.stringify(value);

/** The directories to create before podman runs. */
export function podmanDirectories(paths: PodmanPaths): string[] {
  return [
    paths.home,
    paths.registriesD,
    paths.certDir,
    paths.root,
    paths.runRoot,
    paths.libpodTmp,
    paths.tmp,
    paths.networks,
    paths.ociLinks,
  ];
}

/** Every config file an isolated podman reads, by path, with its content. */
export function podmanConfigFiles(paths: PodmanPaths): Map<string, string> {
  return new Map([
    [
      paths.containersConf,
      [
        '[engine]',
        // No systemd, no D-Bus, no journald: nothing outside this directory is involved.
        'cgroup_manager = "cgroupfs"',
        'events_logger = "file"',
        `events_logfile_path = ${toml(join(paths.libpodTmp, 'events', 'events.log'))}`,
        `tmp_dir = ${toml(paths.libpodTmp)}`,
        `image_copy_tmp_dir = ${toml(paths.tmp)}`,
        // "shm" would share one /dev/shm/libpod_lock segment between every podman on the
        // machine and leave it behind; "file" keeps the locks under tmp_dir.
        'lock_type = "file"',
        '',
        '[network]',
        // Named, so podman does not pick a backend by looking at /etc/cni/net.d.
        'network_backend = "netavark"',
        `network_config_dir = ${toml(paths.networks)}`,
        '',
      ].join('\n'),
    ],
    [
      paths.storageConf,
      [
        '[storage]',
        // vfs: plain directories, no overlay mounts to undo, works in any container.
        'driver = "vfs"',
        `graphroot = ${toml(paths.root)}`,
        `runroot = ${toml(paths.runRoot)}`,
        '',
      ].join('\n'),
    ],
    [
      paths.registriesConf,
      [
        // No search registries: a short name such as "demo:1" resolves only to local images
        // (localhost/demo:1) and never reaches out to docker.io or quay.io.
        'unqualified-search-registries = []',
        'short-name-mode = "enforcing"',
        '',
      ].join('\n'),
    ],
    [
      paths.policy,
      `${JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }, null, 2)}\n`,
    ],
    [paths.authFile, `${JSON.stringify({ auths: {} })}\n`],
  ]);
}

/**
 * podman's whole environment: nothing is inherited but PATH. HOME points into the directory,
 * which moves every per-user lookup there: registries.conf (and, because that file exists,
 * podman then skips /etc/containers/registries.conf.d), policy.json, registries.d, and the
 * credential fallbacks ($HOME/.config/containers/auth.json, $HOME/.docker/config.json).
 *
 * CONTAINERS_REGISTRIES_CONF is deliberately not set: with it, podman 4.3 still merges
 * /etc/containers/registries.conf.d/*.conf, whose Debian shortnames.conf sends names such as
 * "alpine" to docker.io. Dropping the inherited environment also drops CONTAINER_HOST and
 * CONTAINER_CONNECTION (which would make podman a remote client), STORAGE_DRIVER/STORAGE_OPTS,
 * DOCKER_CONFIG, XDG_RUNTIME_DIR and proxy settings.
 */
export function podmanEnvironment(paths: PodmanPaths, path: string): Record<string, string> {
  return {
    PATH: path,
    HOME: paths.home,
    XDG_CONFIG_HOME: join(paths.home, '.config'),
    XDG_DATA_HOME: join(paths.home, '.local', 'share'),
    XDG_CACHE_HOME: join(paths.home, '.cache'),
    TMPDIR: paths.tmp,
    CONTAINERS_CONF: paths.containersConf,
    CONTAINERS_STORAGE_CONF: paths.storageConf,
    REGISTRY_AUTH_FILE: paths.authFile,
  };
}

/**
 * Global flags for every podman command. They repeat what the config files say, so the
 * command line alone shows where podman keeps things, and a flag beats any config file.
 */
export function podmanGlobalArgs(paths: PodmanPaths): string[] {
  return [
    '--root',
    paths.root,
    '--runroot',
    paths.runRoot,
    '--storage-driver',
    'vfs',
    '--cgroup-manager',
    'cgroupfs',
    '--events-backend',
    'file',
    '--tmpdir',
    paths.libpodTmp,
    '--network-config-dir',
    paths.networks,
  ];
}
