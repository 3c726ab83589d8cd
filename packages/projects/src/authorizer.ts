import type { Access, Authorizer, TokenPrincipal } from '@lading/token-auth';
import type { ProjectsModel } from './model.js';
import { rightsOnProject } from './project-rights.js';
import type { SiteSettings } from './settings.js';
import { allowedActions, type RegistryAction, type Subject } from './permissions.js';
import { deployTokenPrefix, personalAccessTokenPrefix } from './secrets.js';

const everything: readonly RegistryAction[] = ['pull', 'push', 'delete'];

/**
 * The forge's policy behind the token endpoint: users sign in with their
 * password, a personal access token, or (as the token's user name) a deploy
 * token; what they get follows `allowedActions` for the project that holds
 * each repository. Every answer reads the database afresh, so blocking a
 * user, revoking a token or switching the registry off takes effect on the
 * next token.
 */
export function createProjectsAuthorizer(model: ProjectsModel): Authorizer {
  return {
    async authenticate(username, password) {
      if (password.startsWith(personalAccessTokenPrefix)) {
        const token = await model.accessTokens.findUsable(password);
        if (token?.username !== username) return undefined;
        const user = await model.users.find(username);
        return user === undefined || user.blocked
          ? undefined
          : { name: username, credential: `pat:${token.id}` };
      }
      if (password.startsWith(deployTokenPrefix)) {
        const token = await model.deployTokens.findUsable(username, password);
        return token === undefined
          ? undefined
          : { name: username, credential: `deploy:${token.id}` };
      }
      const user = await model.users.authenticate(username, password);
      if (user === undefined) return undefined;
      const stamp = await model.users.passwordStamp(user.id);
      return { name: user.username, credential: `password:${user.id}:${stamp ?? ''}` };
    },

    async resolve(name, credential) {
      const subject = await subjectOf(model, {
        name,
        ...(credential === undefined ? {} : { credential }),
      });
      return subject === undefined || credential === undefined ? undefined : { name, credential };
    },

    async authorize(principal, requested) {
      const settings = await model.settings.get();
      if (!settings.registryEnabled) return [];
      const subject =
        principal === undefined
          ? { kind: 'anonymous' as const }
          : await subjectOf(model, principal);
      if (subject === undefined) return [];
      const granted: Access[] = [];
      for (const access of requested) {
        const actions = await actionsFor(model, settings, subject, access);
        const given = access.actions.filter((action) =>
          action === '*'
            ? everything.every((each) => actions.includes(each))
            : actions.includes(action as RegistryAction),
        );
        if (given.length > 0) granted.push({ ...access, actions: given });
      }
      return granted;
    },

    async tokenLifetimeSeconds() {
      return (await model.settings.get()).tokenLifetimeSeconds;
    },
  };
}

/** Who signed in, as the permission table sees them, or `undefined` when they may no longer. */
async function subjectOf(
  model: ProjectsModel,
  principal: TokenPrincipal,
): Promise<SubjectWithUser | undefined> {
  // Only what authenticate() hands out: "password:<user id>:<password stamp>", "pat:<id>"
  // or "deploy:<id>". The user id binds a password sign-in to the account, not the name (a
  // refresh token of a deleted account does not pass to a new one of the same name); the
  // stamp ends it when the password changes.
  const parsed = /^(?:(pat|deploy):(\d{1,15})|(password):(\d{1,15}):([0-9a-f]{16}))$/.exec(
    principal.credential ?? '',
  );
  if (parsed === null) return undefined;
  const kind = parsed[1] ?? parsed[3];
  const id = Number(parsed[2] ?? parsed[4]);
  if (kind === 'deploy') {
    const token = await model.deployTokens.usable(id);
    if (token?.username !== principal.name) return undefined;
    return { kind: 'deploy-token', projectId: token.projectId, scopes: token.scopes };
  }
  const user = await model.users.find(principal.name);
  if (user === undefined || user.blocked) return undefined;
  if (kind === 'pat') {
    const token = await model.accessTokens.usable(id);
    if (token?.userId !== user.id) return undefined;
    return { kind: 'user', admin: user.admin, scopes: token.scopes, userId: user.id };
  }
  if (user.id !== id || (await model.users.passwordStamp(id)) !== parsed[5]) return undefined;
  return { kind: 'user', admin: user.admin, userId: user.id };
}

type SubjectWithUser =
  Exclude<Subject, { kind: 'user' }> | (Extract<Subject, { kind: 'user' }> & { userId: number });

async function actionsFor(
  model: ProjectsModel,
  settings: SiteSettings,
  subject: SubjectWithUser,
  access: Access,
): Promise<RegistryAction[]> {
  if (access.type === 'registry') {
    // The catalog lists every repository of every project: admins only.
    return access.name === 'catalog' && subject.kind === 'user' && subject.admin
      ? [...everything]
      : [];
  }
  if (access.type !== 'repository') return [];
  const project = await model.namespaces.projectOf(access.name);
  if (project === undefined) {
    // A repository no project holds (left from before, or pushed by hand): only admins reach it.
    if (subject.kind !== 'user' || !subject.admin) return [];
    return allowedActions(subject, {
      projectId: -1,
      visibility: 'private',
      projectRegistryEnabled: true,
      siteRegistryEnabled: settings.registryEnabled,
    });
  }
  return rightsOnProject(
    model,
    subject,
    subject.kind === 'user' ? subject.userId : undefined,
    project,
    settings,
  );
}
