import { Router, type Request } from 'express';
import { parseAge, tagsToDelete, type CleanupRules } from '../cleanup.js';
import { InvalidInputError, ProjectsError } from '../errors.js';
import type { ProjectsModel } from '../model.js';
import type { Namespace } from '../namespaces.js';
import type { RegistryAction } from '../permissions.js';
import { rightsOnProject } from '../project-rights.js';
import type { ContainerRepositories } from '../repositories.js';
import { callerOf, type Caller } from './caller.js';
import { param } from './admin-routes.js';
import { Input } from './input.js';
import { tagJson } from './serialize.js';

export interface RegistryRoutesOptions {
  readonly model: ProjectsModel;
  readonly repositories: ContainerRepositories;
  /** `host[:port]` clients pull from, for `location` fields; default the request's Host. */
  readonly registryHost?: string;
  readonly now: () => Date;
}

/**
 * GitLab's project registry API, on repository paths instead of numeric ids:
 * `GET /projects/:project/registry/repositories`, and below it
 * `…/:repository/tags[/:tag]`, with deletes and bulk tag deletion. The
 * permission table applies: listing needs pull, deleting needs delete.
 */
export function registryRoutes(options: RegistryRoutesOptions): Router {
  const { model, repositories } = options;
  const hostOf = (request: Request): string =>
    options.registryHost ?? request.headers.host ?? 'localhost';
  const router = Router();
  const base = '/projects/:path/registry/repositories';

  router.get(base, async (request, response) => {
    const project = await projectFor(request, 'pull');
    const includeTags = Input.bodyAndQuery(request).optionalBoolean('tags') ?? false;
    const names = await repositories.under(project.path);
    const result = [];
    for (const name of names) {
      const tags = includeTags ? await repositories.tags(name) : undefined;
      result.push({
        name: name.slice(project.path.length + 1),
        path: name,
        project: project.path,
        location: `${hostOf(request)}/${name}`,
        ...(tags === undefined
          ? {}
          : {
              tags_count: tags.length,
              tags: tags.map((tag) => tagJson(name, hostOf(request), tag)),
            }),
      });
    }
    response.json(result);
  });
  router.delete(`${base}/:repository`, async (request, response) => {
    const { repository } = await repositoryFor(request, 'delete');
    await repositories.deleteRepository(repository);
    response.json({ deleted: repository });
  });
  router.get(`${base}/:repository/tags`, async (request, response) => {
    const { repository } = await repositoryFor(request, 'pull');
    const tags = await repositories.tags(repository);
    response.json(tags.map((tag) => tagJson(repository, hostOf(request), tag)));
  });
  router.delete(`${base}/:repository/tags`, async (request, response) => {
    const { repository } = await repositoryFor(request, 'delete');
    const rules = cleanupRules(Input.bodyAndQuery(request));
    const doomed = tagsToDelete(await repositories.tags(repository), rules, options.now());
    const deleted: string[] = [];
    for (const tag of doomed) {
      await repositories.deleteTag(repository, tag.name);
      deleted.push(tag.name);
    }
    response.json({ repository, deleted });
  });
  router.get(`${base}/:repository/tags/:tag`, async (request, response) => {
    const { repository } = await repositoryFor(request, 'pull');
    response.json(
      tagJson(
        repository,
        hostOf(request),
        await repositories.tag(repository, param(request, 'tag')),
      ),
    );
  });
  router.delete(`${base}/:repository/tags/:tag`, async (request, response) => {
    const { repository } = await repositoryFor(request, 'delete');
    const tag = param(request, 'tag');
    await repositories.deleteTag(repository, tag);
    response.json({ repository, deleted: [tag] });
  });
  return router;

  async function projectFor(request: Request, action: RegistryAction): Promise<Namespace> {
    const caller = await callerOf(model, request);
    const project = await model.namespaces.find(param(request, 'path'));
    const actions = project?.kind === 'project' ? await rightsOn(caller, project) : [];
    // A project the caller may not even read is one they cannot tell exists.
    if (project?.kind !== 'project' || !actions.includes('pull')) {
      throw new ProjectsError('NOT_FOUND', `project "${param(request, 'path')}" not found`);
    }
    if (!actions.includes(action)) {
      throw new ProjectsError(
        caller.kind === 'anonymous' ? 'UNAUTHORIZED' : 'FORBIDDEN',
        `${action} needs ${action === 'delete' ? 'maintainer' : 'developer'} or above on "${project.path}"`,
      );
    }
    return project;
  }

  async function repositoryFor(
    request: Request,
    action: RegistryAction,
  ): Promise<{ repository: string }> {
    const project = await projectFor(request, action);
    const repository = param(request, 'repository');
    if (repository !== project.path && !repository.startsWith(`${project.path}/`)) {
      throw new InvalidInputError(
        'repository',
        `"${repository}" is not in project "${project.path}"`,
      );
    }
    return { repository };
  }

  /**
   * The permission table, with one difference: administrators reach a
   * project's images even while its registry is disabled, to clean up.
   */
  async function rightsOn(caller: Caller, project: Namespace): Promise<RegistryAction[]> {
    if (caller.kind === 'user' && caller.user.admin && !caller.user.blocked)
      return ['pull', 'push', 'delete'];
    return rightsOnProject(
      model,
      caller.kind === 'user' ? { kind: 'user', admin: false } : { kind: 'anonymous' },
      caller.kind === 'user' ? caller.user.id : undefined,
      project,
      await model.settings.get(),
    );
  }
}

function cleanupRules(input: Input): CleanupRules {
  input.onlyFields('name_regex_delete', 'name_regex', 'name_regex_keep', 'keep_n', 'older_than');
  // `name_regex` is GitLab's deprecated spelling of `name_regex_delete`.
  const nameRegexDelete =
    input.optionalString('name_regex_delete') ?? input.optionalString('name_regex');
  if (nameRegexDelete === undefined) {
    throw new InvalidInputError(
      'name_regex_delete',
      'is required (".*" deletes every tag the other rules allow)',
    );
  }
  const nameRegexKeep = input.optionalString('name_regex_keep');
  const keepN = input.optionalInteger('keep_n', 0, 1_000_000);
  const olderThan = input.optionalString('older_than');
  return {
    nameRegexDelete,
    ...(nameRegexKeep === undefined ? {} : { nameRegexKeep }),
    ...(keepN === undefined ? {} : { keepN }),
    ...(olderThan === undefined ? {} : { olderThanMs: parseAge('older_than', olderThan) }),
  };
}
