import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import { configPath, loadConfig, parseConfig, type RegistryConfig } from '@lading/config';
import {
  isRole,
  isVisibility,
  randomPassword,
  refuseIfHoldsImages,
  registryDisabledNote,
  type ProjectsModel,
  type TokenScope,
  type Visibility,
} from '@lading/projects';
import { createRegistryEngine } from '@lading/registry-engine';
import { defaultConfigYaml } from './default-config.js';
import { engineRepositories, openProjects } from './projects.js';
import { storageDrivers } from './storage.js';

interface Common {
  readonly config?: string;
  readonly json?: boolean;
}

/** `lading users|groups|projects|members|tokens|deploy-tokens|settings`: the model, from the shell. */
export function addProjectCommands(program: Command): void {
  addUserCommands(program);
  addNamespaceCommands(program, 'group');
  addNamespaceCommands(program, 'project');
  addMemberCommands(program);
  addTokenCommands(program);
  addDeployTokenCommands(program);
  addSettingsCommands(program);
}

function group(program: Command, name: string, description: string): Command {
  return program.command(name).description(description);
}

/** A subcommand with the options every model command takes. */
function command(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .option(
      '-c, --config <file>',
      'config.yml with lading.projects (default: $REGISTRY_CONFIGURATION_PATH, else the embedded default under ./data)',
    )
    .option('--json', 'print JSON');
}

function addUserCommands(program: Command): void {
  const users = group(program, 'users', 'manage user accounts');
  command(users, 'list', 'list users').action((options: Common) =>
    withModel(options, async (model) => {
      print(
        options,
        await model.users.list(),
        (user) =>
          `${user.username}\t${user.email}${user.admin ? '\tadmin' : ''}${user.blocked ? '\tblocked' : ''}`,
      );
    }),
  );
  command(users, 'create', 'create a user; prints a generated password unless --password-stdin')
    .argument('<username>')
    .requiredOption('--email <email>', 'their email address')
    .option('--admin', 'make them an administrator')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      (
        username: string,
        options: Common & { email: string; admin?: boolean; passwordStdin?: boolean },
      ) =>
        withModel(options, async (model) => {
          const password = options.passwordStdin === true ? await readStdin() : randomPassword();
          const user = await model.users.create({
            username,
            email: options.email,
            password,
            admin: options.admin === true,
          });
          print(
            options,
            { ...user, ...(options.passwordStdin === true ? {} : { password }) },
            () =>
              `created ${user.username}${user.admin ? ' (administrator)' : ''}` +
              (options.passwordStdin === true
                ? ''
                : `\npassword: ${password}\n(shown once; they can change it with lading users update --password-stdin)`),
          );
        }),
    );
  command(users, 'update', 'change a user')
    .argument('<username>')
    .option('--email <email>')
    .option('--admin', 'make them an administrator')
    .option('--no-admin', 'make them an ordinary user')
    .option('--block', 'block them: no sign-in, no tokens, nothing at all')
    .option('--unblock', 'unblock them')
    .option('--password-stdin', 'read a new password from standard input')
    .action(
      (
        username: string,
        options: Common & {
          email?: string;
          admin?: boolean;
          block?: boolean;
          unblock?: boolean;
          passwordStdin?: boolean;
        },
      ) =>
        withModel(options, async (model) => {
          const user = await model.users.update(username, {
            ...(options.email === undefined ? {} : { email: options.email }),
            ...(options.admin === undefined ? {} : { admin: options.admin }),
            ...(options.block === true
              ? { blocked: true }
              : options.unblock === true
                ? { blocked: false }
                : {}),
            ...(options.passwordStdin === true ? { password: await readStdin() } : {}),
          });
          print(options, user, () => `updated ${user.username}`);
        }),
    );
  command(users, 'delete', 'delete a user with their memberships and tokens')
    .argument('<username>')
    .action((username: string, options: Common) =>
      withModel(options, async (model) => {
        await model.users.delete(username);
        print(options, { deleted: username }, () => `deleted ${username}`);
      }),
    );
}

function addNamespaceCommands(program: Command, kind: 'group' | 'project'): void {
  const parent = group(program, `${kind}s`, `manage ${kind}s`);
  command(parent, 'list', `list ${kind}s`).action((options: Common) =>
    withModel(options, async (model) => {
      print(
        options,
        await model.namespaces.list(kind),
        (namespace) =>
          `${namespace.path}\t${namespace.visibility}` +
          (kind === 'project'
            ? `\tregistry ${namespace.containerRegistryEnabled ? 'on' : 'off'}`
            : '') +
          (namespace.registryDisabledReason === undefined
            ? ''
            : `\t(${namespace.registryDisabledReason})`),
      );
    }),
  );
  const create = command(parent, 'create', `create a ${kind}`)
    .argument(
      '<path>',
      kind === 'group'
        ? 'group or parent/group'
        : 'group/project (its images: <path> and <path>/…)',
    )
    .option('--visibility <visibility>', 'public, internal or private', 'private')
    .option('--owner <username>', 'make this user its owner');
  if (kind === 'project') {
    create
      .option('--registry', 'turn its container registry on')
      .option('--no-registry', 'turn its container registry off');
  }
  create.action(
    (path: string, options: Common & { visibility: string; owner?: string; registry?: boolean }) =>
      withModel(options, async (model) => {
        const spec = {
          path,
          visibility: visibility(options.visibility),
          ...(options.registry === undefined ? {} : { containerRegistryEnabled: options.registry }),
        };
        // Before creating: a missing owner must fail the command with nothing made.
        if (options.owner !== undefined) await model.users.get(options.owner);
        const created =
          kind === 'group'
            ? await model.namespaces.createGroup(spec)
            : await model.namespaces.createProject(spec);
        if (options.owner !== undefined) await model.members.set(path, options.owner, 'owner');
        print(
          options,
          created,
          () =>
            `created ${kind} ${created.path} (${created.visibility}` +
            (kind === 'project'
              ? `, registry ${created.containerRegistryEnabled ? 'on' : 'off'}`
              : '') +
            ')' +
            (created.registryDisabledReason === undefined
              ? ''
              : `\nits registry stays disabled: ${created.registryDisabledReason}`),
        );
      }),
  );
  const update = command(parent, 'update', `change a ${kind}`)
    .argument('<path>')
    .option('--visibility <visibility>', 'public, internal or private')
    .option('--rename <path>', 'a new path in the same group (refused while it holds images)');
  if (kind === 'project') {
    update
      .option('--registry', 'turn its container registry on')
      .option('--no-registry', 'turn its container registry off; images are kept');
  }
  update.action(
    (
      path: string,
      options: Common & { visibility?: string; rename?: string; registry?: boolean },
    ) =>
      withModel(options, async (model, config) => {
        // Only a group for `groups update`, as for `delete`; the model checks every change
        // before it writes any, so a refused one leaves no rename done.
        await model.namespaces.get(path, kind);
        const changes = {
          ...(options.rename === undefined ? {} : { path: options.rename }),
          ...(options.visibility === undefined
            ? {}
            : { visibility: visibility(options.visibility) }),
          ...(options.registry === undefined ? {} : { containerRegistryEnabled: options.registry }),
        };
        if (options.rename !== undefined) await refuseIfImages(config, path, 'renamed');
        const updated = await model.namespaces.change(path, changes);
        print(
          options,
          { ...updated, ...(options.registry === false ? { note: registryDisabledNote } : {}) },
          () =>
            `updated ${updated.path}` +
            (options.registry === false ? `\n${registryDisabledNote}` : ''),
        );
      }),
  );
  command(parent, 'delete', `delete a ${kind} and everything in it (refused while it holds images)`)
    .argument('<path>')
    .action((path: string, options: Common) =>
      withModel(options, async (model, config) => {
        await model.namespaces.get(path, kind);
        await refuseIfImages(config, path, 'deleted');
        await model.namespaces.delete(path);
        print(options, { deleted: path }, () => `deleted ${kind} ${path}`);
      }),
    );
}

function addMemberCommands(program: Command): void {
  const members = group(program, 'members', 'manage members of groups and projects');
  command(members, 'list', 'list the direct members of a group or project')
    .argument('<path>')
    .action((path: string, options: Common) =>
      withModel(options, async (model) => {
        print(
          options,
          await model.members.list(path),
          (member) => `${member.username}\t${member.role}`,
        );
      }),
    );
  command(members, 'set', 'add a member, or change their role')
    .argument('<path>')
    .argument('<username>')
    .argument('<role>', 'guest, reporter, developer, maintainer or owner')
    .action((path: string, username: string, role: string, options: Common) =>
      withModel(options, async (model) => {
        if (!isRole(role))
          throw new Error(`role ${role}: expected guest, reporter, developer, maintainer or owner`);
        const member = await model.members.set(path, username, role);
        print(options, member, () => `${member.username} is ${member.role} of ${path}`);
      }),
    );
  command(members, 'remove', 'remove a member')
    .argument('<path>')
    .argument('<username>')
    .action((path: string, username: string, options: Common) =>
      withModel(options, async (model) => {
        await model.members.remove(path, username);
        print(options, { removed: username, from: path }, () => `removed ${username} from ${path}`);
      }),
    );
}

interface TokenOptions extends Common {
  readonly name: string;
  readonly scopes: string;
  readonly expires?: string;
}

function addTokenCommands(program: Command): void {
  const tokens = group(program, 'tokens', "manage users' personal access tokens");
  command(tokens, 'create', 'make a personal access token; prints it once')
    .argument('<username>')
    .requiredOption('--name <name>', 'what it is for')
    .requiredOption(
      '--scopes <scopes>',
      'read_registry, write_registry and/or api, comma-separated',
    )
    .option('--expires <date>', 'when it stops working (ISO 8601 date)')
    .action((username: string, options: TokenOptions) =>
      withModel(options, async (model) => {
        const { token, record } = await model.accessTokens.create(username, tokenSpec(options));
        print(
          options,
          { ...record, token },
          () =>
            `token ${record.id} for ${username} (${record.scopes.join(', ')}):\n${token}\n(shown once; use it as the password with user name ${username})`,
        );
      }),
    );
  command(tokens, 'list', "list a user's tokens (never the secrets)")
    .argument('<username>')
    .action((username: string, options: Common) =>
      withModel(options, async (model) => {
        print(
          options,
          await model.accessTokens.list(username),
          (token) => `${token.id}\t${token.name}\t${token.scopes.join(',')}\t${state(token)}`,
        );
      }),
    );
  command(tokens, 'revoke', 'revoke a token at once')
    .argument('<id>')
    .action((id: string, options: Common) =>
      withModel(options, async (model) => {
        const token = await model.accessTokens.revoke(tokenId(id));
        print(options, token, () => `revoked token ${token.id} of ${token.username}`);
      }),
    );
}

function addDeployTokenCommands(program: Command): void {
  const tokens = group(program, 'deploy-tokens', "manage projects' deploy tokens");
  command(tokens, 'create', 'make a deploy token for a project; prints it once')
    .argument('<project>')
    .requiredOption('--name <name>', 'what it is for')
    .requiredOption('--scopes <scopes>', 'read_registry and/or write_registry, comma-separated')
    .option('--expires <date>', 'when it stops working (ISO 8601 date)')
    .action((project: string, options: TokenOptions) =>
      withModel(options, async (model) => {
        const { token, record } = await model.deployTokens.create(project, tokenSpec(options));
        print(
          options,
          { ...record, token },
          () =>
            `deploy token ${record.id} for ${project} (${record.scopes.join(', ')}):\nusername: ${record.username}\npassword: ${token}\n(shown once)`,
        );
      }),
    );
  command(tokens, 'list', "list a project's deploy tokens (never the secrets)")
    .argument('<project>')
    .action((project: string, options: Common) =>
      withModel(options, async (model) => {
        print(
          options,
          await model.deployTokens.list(project),
          (token) =>
            `${token.id}\t${token.username}\t${token.name}\t${token.scopes.join(',')}\t${state(token)}`,
        );
      }),
    );
  command(tokens, 'revoke', 'revoke a deploy token at once')
    .argument('<id>')
    .action((id: string, options: Common) =>
      withModel(options, async (model) => {
        const token = await model.deployTokens.revoke(tokenId(id));
        print(options, token, () => `revoked deploy token ${token.id} of ${token.projectPath}`);
      }),
    );
}

const settingsHelp =
  'registryEnabled, containerRegistryDefault, allowUnnamablePaths (true/false), tokenLifetimeSeconds (60..86400)';

function addSettingsCommands(program: Command): void {
  const settings = group(program, 'settings', 'site-wide settings');
  command(settings, 'show', 'print the settings').action((options: Common) =>
    withModel(options, async (model) => {
      const current = await model.settings.get();
      print(options, current, () =>
        Object.entries(current)
          .map(([name, value]) => `${name}\t${String(value)}`)
          .join('\n'),
      );
    }),
  );
  command(settings, 'set', 'change a setting')
    .argument('<name>', settingsHelp)
    .argument('<value>')
    .action((name: string, value: string, options: Common) =>
      withModel(options, async (model) => {
        const parsed: unknown = /^(true|false|\d+)$/.test(value) ? JSON.parse(value) : value;
        const updated = await model.settings.update({ [name]: parsed });
        const disabled = name === 'registryEnabled' && parsed === false;
        print(
          options,
          { ...updated, ...(disabled ? { note: registryDisabledNote } : {}) },
          () => `${name} is now ${value}` + (disabled ? `\n${registryDisabledNote}` : ''),
        );
      }),
    );
}

/** Opens the model the config names, runs `action`, and closes it whatever happens. */
async function withModel(
  options: Common,
  action: (model: ProjectsModel, config: RegistryConfig) => Promise<void>,
): Promise<void> {
  const config = await readConfig(options.config);
  const settings = config.lading.projects;
  if (settings === undefined) {
    throw new Error(
      'this config has no lading.projects section: there is no projects database to manage',
    );
  }
  const model = await openProjects(settings);
  try {
    await action(model, config);
  } finally {
    await model.close();
  }
}

async function readConfig(argument: string | undefined): Promise<RegistryConfig> {
  const path = configPath(argument, process.env);
  if (path !== undefined) return (await loadConfig(path, { env: process.env })).config;
  return parseConfig(defaultConfigYaml, { env: process.env, source: 'the embedded default' })
    .config;
}

/** Renaming or deleting a path with images would orphan them: refused, as the API does. */
async function refuseIfImages(config: RegistryConfig, path: string, verb: string): Promise<void> {
  const { name, parameters } = config.storage.driver;
  const engine = createRegistryEngine({
    driver: await storageDrivers({}).create(name, parameters),
  });
  await refuseIfHoldsImages(engineRepositories(engine, false), path, verb);
}

function print<T>(options: Common, value: T | readonly T[], line: (item: T) => string): void {
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const items: readonly T[] = Array.isArray(value) ? (value as readonly T[]) : [value as T];
  for (const item of items) process.stdout.write(`${line(item)}\n`);
}

function visibility(value: string): Visibility {
  if (!isVisibility(value))
    throw new Error(`--visibility ${value}: expected public, internal or private`);
  return value;
}

function tokenSpec(options: TokenOptions): {
  name: string;
  scopes: TokenScope[];
  expiresAt?: Date;
} {
  const scopes = options.scopes.split(/[\s,]+/).filter(Boolean) as TokenScope[];
  if (options.expires === undefined) return { name: options.name, scopes };
  const expiresAt = new Date(options.expires);
  if (Number.isNaN(expiresAt.getTime()))
    throw new Error(`--expires ${options.expires}: expected an ISO 8601 date`);
  return { name: options.name, scopes, expiresAt };
}

function tokenId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new Error(`${text}: expected a token id (a number)`);
  return id;
}

function state(token: { revokedAt?: Date; expiresAt?: Date }): string {
  if (token.revokedAt !== undefined) return `revoked ${token.revokedAt.toISOString()}`;
  if (token.expiresAt === undefined) return 'no expiry';
  return `${token.expiresAt <= new Date() ? 'expired' : 'expires'} ${token.expiresAt.toISOString()}`;
}

async function readStdin(): Promise<string> {
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}
