#!/usr/bin/env node
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import {
  ConfigError,
  configPath,
  loadConfig,
  parseConfig,
  type LoadedConfig,
} from '@lading/config';
import { libtrustKeyId } from '@lading/token-auth';
import { generateSigningKey, type SigningAlgorithm } from './keys.js';
import { limitHeapGrowth } from './heap-tuning.js';
import { createLogger } from './logging.js';
import {
  defaultConfigYaml,
  defaultDataDirectory,
  defaultSecretFile,
  initialAdminName,
  initialAdminPasswordFile,
} from './default-config.js';
import { ensureInitialAdmin, ensureSigningKey, type InitialAdmin } from './first-start.js';
import { storageDrivers } from './storage.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** The `lading` command, without the projects model's commands (`withProjectCommands`). */
export function createProgram(): Command {
  const program = new Command('lading')
    .description("Lading: a container registry that reads CNCF distribution's config.yml")
    .version(version)
    .showHelpAfterError();
  program
    .command('serve')
    .description('run the registry')
    .argument(
      '[config]',
      "config.yml in CNCF distribution's format (default: $REGISTRY_CONFIGURATION_PATH, else a registry on 127.0.0.1:5000 storing under ./data)",
    )
    .action(serve);
  const config = program.command('config').description('work with config files');
  config
    .command('check')
    .description('validate a config file, with the environment overrides, and print its warnings')
    .argument('[config]', 'config.yml (default: $REGISTRY_CONFIGURATION_PATH)')
    .action(check);
  const keys = program.command('keys').description('manage token signing keys');
  keys
    .command('generate')
    .description('make a token signing key and a self-signed certificate for registries to trust')
    .option('-o, --out <directory>', 'where to write token.key and token.pem', '.')
    .option('-a, --algorithm <algorithm>', 'ES256, ES384 or RS256', 'ES256')
    .option('--common-name <name>', "the certificate's subject", 'Lading token signer')
    .option('--days <days>', 'how long the certificate is valid', '3650')
    .action(generateKeys);
  return program;
}

async function load(
  argument: string | undefined,
): Promise<{ loaded: LoadedConfig; embedded: boolean }> {
  const path = configPath(argument, process.env);
  if (path !== undefined)
    return { loaded: await loadConfig(path, { env: process.env }), embedded: false };
  return {
    loaded: parseConfig(defaultConfigYaml, { env: process.env, source: 'the embedded default' }),
    embedded: true,
  };
}

async function serve(argument: string | undefined): Promise<void> {
  const { loaded, embedded } = await load(argument);
  const { config } = loaded;
  const logger = createLogger({ level: config.log.level, fields: config.log.fields });
  for (const warning of loaded.warnings) logger.warn(warning);
  if (embedded && (await ensureSigningKey(defaultDataDirectory))) {
    logger.info(
      { directory: defaultDataDirectory },
      'generated a token signing key and certificate',
    );
  }
  const heapGrowingPercent = limitHeapGrowth();
  if (heapGrowingPercent !== undefined) logger.debug({ heapGrowingPercent }, 'heap growth limited');
  // Loaded here, not at the top: the model commands need none of the server.
  const { startRegistry } = await import('./server.js');
  const running = await startRegistry(config, {
    logger,
    ...(embedded ? { secretFile: defaultSecretFile } : {}),
  });
  const { projects } = running.registry;
  const admin =
    embedded && projects !== undefined
      ? await ensureInitialAdmin(projects, initialAdminName, initialAdminPasswordFile)
      : undefined;
  if (!embedded && projects !== undefined && (await projects.users.list()).length === 0) {
    logger.warn(
      'the projects database has no users yet: create an administrator with `lading users create <name> --email <email> --admin`',
    );
  }
  if (embedded) process.stderr.write(embeddedWelcome(running.url, admin));
  const stop = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.once('SIGINT', () => {
    stop('SIGINT');
  });
}

/** What `npm start` prints: where it listens, the first administrator (once), the first push. */
function embeddedWelcome(url: string, admin: InitialAdmin | undefined): string {
  const host = url.replace(/^https?:\/\//, '');
  const account =
    admin === undefined
      ? `Sign in as an administrator (the first one's password is in ${initialAdminPasswordFile}).\n`
      : `An administrator was created: ${admin.username}\n` +
        `  password: ${admin.password}\n` +
        `  (printed this once; also in ${admin.passwordFile}, readable only by you)\n`;
  return (
    `\nLading is listening on ${url}, storing under ./data.\n` +
    account +
    `Push a first image:\n` +
    `  npm run lading -- projects create demo --owner ${admin?.username ?? 'admin'}\n` +
    `  skopeo login --tls-verify=false -u ${admin?.username ?? 'admin'} ${host}\n` +
    `  skopeo copy --dest-tls-verify=false docker://docker.io/library/alpine:latest docker://${host}/demo/alpine:latest\n` +
    `  (or: podman login --tls-verify=false ${host} && podman push --tls-verify=false <image> ${host}/demo/alpine:latest)\n\n`
  );
}

async function check(argument: string | undefined): Promise<void> {
  const path = configPath(argument, process.env);
  if (path === undefined)
    throw new ConfigError({
      key: 'config',
      value: undefined,
      expected: 'a config file argument or REGISTRY_CONFIGURATION_PATH',
    });
  const { config, warnings } = await loadConfig(path, { env: process.env });
  // The driver's own parameters are its business: building it offline checks them, and
  // contacts no store (swift would log in, create its container and set its TempURL key).
  const { name, parameters } = config.storage.driver;
  await storageDrivers({}, { offline: true }).create(name, parameters);
  for (const warning of warnings) process.stdout.write(`warning: ${warning}\n`);
  process.stdout.write(`${path}: valid\n`);
}

async function generateKeys(options: {
  out: string;
  algorithm: string;
  commonName: string;
  days: string;
}): Promise<void> {
  if (!['ES256', 'ES384', 'RS256'].includes(options.algorithm)) {
    throw new Error(`--algorithm ${options.algorithm}: expected ES256, ES384 or RS256`);
  }
  const days = Number(options.days);
  if (!Number.isSafeInteger(days) || days < 1)
    throw new Error(`--days ${options.days}: expected a whole number of days ≥ 1`);
  const generated = await generateSigningKey({
    directory: options.out,
    algorithm: options.algorithm as SigningAlgorithm,
    commonName: options.commonName,
    days,
  }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(
        `${options.out} already holds token.key or token.pem; refusing to overwrite a signing key`,
      );
    }
    throw error;
  });
  const keyId = libtrustKeyId(createPublicKey(generated.certificatePem));
  process.stdout.write(
    `wrote ${generated.keyPath} (keep it secret) and ${generated.certificatePath}\n` +
      `key id: ${keyId}\n\n` +
      `# the token service (this server):\nlading:\n  tokenservice:\n    issuer: lading\n    key: ${resolve(generated.keyPath)}\n    users: /etc/lading/users.json\n\n` +
      `# every registry that trusts its tokens:\nauth:\n  token:\n    realm: https://registry.example.com/jwt/auth\n    service: registry.example.com\n    issuer: lading\n    rootcertbundle: ${resolve(generated.certificatePath)}\n`,
  );
}

/**
 * Adds the model's commands (users, namespaces, members, tokens). `serve` goes
 * without: loading them brings in the projects package and its database
 * layer, 10 MiB of memory a registry without `lading.projects` never uses.
 */
async function withProjectCommands(program: Command): Promise<Command> {
  const { addProjectCommands } = await import('./cli-projects.js');
  addProjectCommands(program);
  return program;
}

/** Runs the command line; a bad config or argument ends the process with 1 and a clear message. */
export async function main(argv: readonly string[]): Promise<void> {
  try {
    const program = createProgram();
    if (argv[2] !== 'serve') await withProjectCommands(program);
    await program.parseAsync([...argv]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`lading: ${message}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv);
