import { join } from 'node:path';

/** One INI file: section name → setting → value, in order. */
export type IniSections = Record<string, Record<string, string>>;

/** Where one all-in-one keeps its files, and the ports it listens on (all on 127.0.0.1). */
export interface SwiftLayout {
  /** swift_dir: swift.conf, the rings, the server configs. */
  directory: string;
  ports: { proxy: number; account: number; container: number; object: number; memcached: number };
}

/** The TempAuth account, user and key; the S3 access key is `account:user`. */
export const swiftCredentials = { account: 'test', user: 'tester', key: 'testing' } as const;

/** The directory that holds the device directory (`devices/d1`), the servers' `devices`. */
export const devicesDirectory = (directory: string) => join(directory, 'devices');

/**
 * swift.conf: the hash path prefix and suffix (random per cluster, as a real one is), storage
 * policy 0 alone, and `constraints` as [swift-constraints] (Swift's defaults otherwise).
 */
export function swiftConf(
  hash: { prefix: string; suffix: string },
  constraints: Record<string, string> = {},
): string {
  return renderIni({
    'swift-hash': { swift_hash_path_prefix: hash.prefix, swift_hash_path_suffix: hash.suffix },
    'storage-policy:0': { name: 'Policy-0', default: 'yes' },
    'swift-constraints': constraints,
  });
}

/** What every server shares. */
function defaults(layout: SwiftLayout, port: number): Record<string, string> {
  return {
    bind_ip: '127.0.0.1',
    bind_port: String(port),
    // Fail at once on a port taken since we probed it; startSwift then starts over. (30 s by
    // default, retrying the bind.)
    bind_timeout: '1',
    // Serve in the launched process itself: see swiftLauncherScript.
    workers: '0',
    swift_dir: layout.directory,
    log_level: 'INFO',
    // Never /var/cache/swift.
    recon_cache_path: join(layout.directory, 'cache'),
  };
}

/** account-server.conf, container-server.conf or object-server.conf. */
export function storageServerConf(
  type: 'account' | 'container' | 'object',
  layout: SwiftLayout,
): string {
  return renderIni({
    DEFAULT: {
      ...defaults(layout, layout.ports[type]),
      devices: devicesDirectory(layout.directory),
      // The device is a plain directory, not a mount point.
      mount_check: 'false',
      // No space is reserved: a test machine's disk may well be more than 99 % full, and the
      // default reserve (1 %) would then answer every PUT with 507.
      fallocate_reserve: '0',
      disable_fallocate: 'true',
    },
    // healthcheck, so that start-up can tell when this server listens.
    'pipeline:main': { pipeline: `healthcheck ${type}-server` },
    [`app:${type}-server`]: { use: `egg:swift#${type}` },
    'filter:healthcheck': { use: 'egg:swift#healthcheck' },
  });
}

/**
 * The proxy's pipeline: Swift 2.30's sample pipeline for TempAuth with s3api just before
 * tempauth, as s3api's docs ask (s3api checks that an auth filter follows it, and turns
 * multipart uploads off unless slo does), without container_sync and the quota filters.
 */
export const proxyPipeline = [
  'catch_errors',
  'gatekeeper',
  'healthcheck',
  'proxy-logging',
  'cache',
  'listing_formats',
  'bulk',
  'tempurl',
  'ratelimit',
  's3api',
  'tempauth',
  'copy',
  'slo',
  'dlo',
  'versioned_writes',
  'symlink',
  'proxy-logging',
  'proxy-server',
].join(' ');

/** proxy-server.conf; `settings` are merged in last, section by section, and win. */
export function proxyServerConf(layout: SwiftLayout, settings: IniSections = {}): string {
  const { account, user, key } = swiftCredentials;
  const egg = (name: string) => ({ use: `egg:swift#${name}` });
  const sections: IniSections = {
    DEFAULT: defaults(layout, layout.ports.proxy),
    'pipeline:main': { pipeline: proxyPipeline },
    // The TempAuth account comes into being with its first use.
    'app:proxy-server': { ...egg('proxy'), account_autocreate: 'true' },
    'filter:catch_errors': egg('catch_errors'),
    'filter:gatekeeper': egg('gatekeeper'),
    'filter:healthcheck': egg('healthcheck'),
    'filter:proxy-logging': egg('proxy_logging'),
    // TempAuth keeps its tokens here and nowhere else. Without memcache_servers the filter
    // would read SWIFT_DIR/memcache.conf, and fall back to 127.0.0.1:11211.
    'filter:cache': {
      ...egg('memcache'),
      memcache_servers: `127.0.0.1:${String(layout.ports.memcached)}`,
      // Swift's defaults are for a cluster of many memcached servers: give up on one after
      // 0.3 s, and after ten such errors leave it alone for a minute. Here it is the only one,
      // on a loaded test machine: one slow moment would fail every token check for a minute
      // (every request then answers 401), so wait longer and never give up on it.
      connect_timeout: '5',
      pool_timeout: '5',
      io_timeout: '10',
      tries: '3',
      error_suppression_limit: '1000000',
    },
    'filter:listing_formats': egg('listing_formats'),
    'filter:bulk': egg('bulk'),
    'filter:tempurl': egg('tempurl'),
    'filter:ratelimit': egg('ratelimit'),
    'filter:s3api': {
      ...egg('s3api'),
      // The SigV4 region; clients must sign for us-east-1.
      location: 'us-east-1',
      // Swift ACLs, not s3api's own (which also store an owner per bucket and object).
      s3_acl: 'false',
      allow_multipart_uploads: 'true',
      // S3's own limit (Swift's default is 1000); slo must allow as many segments.
      max_upload_part_num: '10000',
      // No storage_domain: path-style requests only.
    },
    'filter:tempauth': {
      ...egg('tempauth'),
      reseller_prefix: 'AUTH',
      // .admin: may create containers, and set the account's Temp-URL key.
      [`user_${account}_${user}`]: `${key} .admin`,
    },
    'filter:copy': egg('copy'),
    'filter:slo': { ...egg('slo'), max_manifest_segments: '10000' },
    'filter:dlo': egg('dlo'),
    // allow_object_versioning: the versioning that S3 bucket versioning maps to; it needs
    // symlink after it.
    'filter:versioned_writes': { ...egg('versioned_writes'), allow_object_versioning: 'true' },
    'filter:symlink': egg('symlink'),
  };
  for (const [name, values] of Object.entries(settings)) {
    sections[name] = { ...sections[name], ...values };
  }
  return renderIni(sections);
}

/** INI text; refuses what would change its structure (line breaks, `]` in a section name). */
export function renderIni(sections: IniSections): string {
  const lines: string[] = [];
  for (const [section, values] of Object.entries(sections)) {
    if (/[\]\r\n]/.test(section))
      throw new Error(`invalid section name ${JSON.stringify(section)}`);
    lines.push(`[${section}]`);
    for (const [name, value] of Object.entries(values)) {
      // `set NAME`: paste.deploy's way to override a [DEFAULT] value in one section.
      if (!/^(set )?[\w.-]+$/.test(name))
        throw new Error(`invalid setting name ${JSON.stringify(name)}`);
      if (/[\r\n]/.test(value)) throw new Error(`${name}: a value must be one line`);
      lines.push(`${name} = ${value}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
