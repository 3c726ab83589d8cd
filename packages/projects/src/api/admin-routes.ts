import { Router, type Request } from 'express';
import { InvalidInputError, ProjectsError } from '../errors.js';
import type { ProjectsModel } from '../model.js';
import { refuseIfHoldsImages, type ContainerRepositories } from '../repositories.js';
import { callerOf, requireAdmin } from './caller.js';
import { Input } from './input.js';
import {
  deployTokenJson,
  memberJson,
  namespaceJson,
  personalAccessTokenJson,
  settingNames,
  settingsJson,
  userJson,
} from './serialize.js';

/** Said whenever the registry is switched off, so nobody fears for their images. */
export const registryDisabledNote =
  'the container registry is disabled; no image was deleted, and all of them are served again once it is enabled';

/** Users, tokens, groups, projects, members and settings: administrators only. */
export function adminRoutes(model: ProjectsModel, repositories: ContainerRepositories): Router {
  const router = Router();
  router.use(async (request, _response, next) => {
    requireAdmin(await callerOf(model, request));
    next();
  });

  router.get('/users', async (_request, response) => {
    response.json((await model.users.list()).map(userJson));
  });
  router.post('/users', async (request, response) => {
    const input = Input.body(request).onlyFields('username', 'email', 'password', 'admin');
    const user = await model.users.create({
      username: input.string('username'),
      email: input.string('email'),
      password: input.string('password'),
      admin: input.optionalBoolean('admin') ?? false,
    });
    response.status(201).json(userJson(user));
  });
  router.get('/users/:username', async (request, response) => {
    response.json(userJson(await model.users.get(param(request, 'username'))));
  });
  router.patch('/users/:username', async (request, response) => {
    const input = Input.body(request).onlyFields('email', 'password', 'admin', 'blocked');
    const email = input.optionalString('email');
    const password = input.optionalString('password');
    const admin = input.optionalBoolean('admin');
    const blocked = input.optionalBoolean('blocked');
    const user = await model.users.update(param(request, 'username'), {
      ...(email === undefined ? {} : { email }),
      ...(password === undefined ? {} : { password }),
      ...(admin === undefined ? {} : { admin }),
      ...(blocked === undefined ? {} : { blocked }),
    });
    response.json(userJson(user));
  });
  router.delete('/users/:username', async (request, response) => {
    await model.users.delete(param(request, 'username'));
    response.status(204).end();
  });

  router.get('/users/:username/tokens', async (request, response) => {
    response.json(
      (await model.accessTokens.list(param(request, 'username'))).map(personalAccessTokenJson),
    );
  });
  router.post('/users/:username/tokens', async (request, response) => {
    const input = Input.body(request).onlyFields('name', 'scopes', 'expires_at');
    const expiresAt = input.optionalDate('expires_at');
    const created = await inApiNames(
      model.accessTokens.create(param(request, 'username'), {
        name: input.string('name'),
        scopes: input.scopes(),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      }),
    );
    response.status(201).json({ ...personalAccessTokenJson(created.record), token: created.token });
  });
  router.delete('/users/:username/tokens/:id', async (request, response) => {
    const token = await model.accessTokens.get(idParam(request));
    if (token.username !== param(request, 'username')) {
      throw new ProjectsError('NOT_FOUND', `personal access token ${token.id} not found`);
    }
    response.json(personalAccessTokenJson(await model.accessTokens.revoke(token.id)));
  });

  for (const kind of ['group', 'project'] as const) {
    const collection = `/${kind}s`;
    router.get(collection, async (_request, response) => {
      response.json((await model.namespaces.list(kind)).map(namespaceJson));
    });
    router.post(collection, async (request, response) => {
      const input = Input.body(request).onlyFields(
        'path',
        'visibility',
        ...(kind === 'project' ? ['container_registry_enabled'] : []),
      );
      const visibility = input.optionalVisibility();
      const enabled = input.optionalBoolean('container_registry_enabled');
      const spec = {
        path: input.string('path'),
        ...(visibility === undefined ? {} : { visibility }),
        ...(enabled === undefined ? {} : { containerRegistryEnabled: enabled }),
      };
      const created =
        kind === 'group'
          ? await model.namespaces.createGroup(spec)
          : await model.namespaces.createProject(spec);
      response.status(201).json(namespaceJson(created));
    });
    router.get(`${collection}/:path`, async (request, response) => {
      response.json(namespaceJson(await model.namespaces.get(param(request, 'path'), kind)));
    });
    router.patch(`${collection}/:path`, async (request, response) => {
      const input = Input.body(request).onlyFields(
        'path',
        'visibility',
        ...(kind === 'project' ? ['container_registry_enabled'] : []),
      );
      // Every field is read, and the model checks every change, before anything is written.
      const newPath = input.optionalString('path');
      const visibility = input.optionalVisibility();
      const enabled = input.optionalBoolean('container_registry_enabled');
      const { path } = await model.namespaces.get(param(request, 'path'), kind);
      if (newPath !== undefined && newPath !== path) {
        await refuseIfHoldsImages(repositories, path, 'renamed');
      }
      const updated = await model.namespaces.change(path, {
        ...(newPath === undefined ? {} : { path: newPath }),
        ...(visibility === undefined ? {} : { visibility }),
        ...(enabled === undefined ? {} : { containerRegistryEnabled: enabled }),
      });
      response.json({
        ...namespaceJson(updated),
        ...(enabled === false ? { note: registryDisabledNote } : {}),
      });
    });
    router.delete(`${collection}/:path`, async (request, response) => {
      const namespace = await model.namespaces.get(param(request, 'path'), kind);
      await refuseIfHoldsImages(repositories, namespace.path, 'deleted');
      await model.namespaces.delete(namespace.path);
      response.status(204).end();
    });
    router.get(`${collection}/:path/members`, async (request, response) => {
      const namespace = await model.namespaces.get(param(request, 'path'), kind);
      response.json((await model.members.list(namespace.path)).map(memberJson));
    });
    router.put(`${collection}/:path/members/:username`, async (request, response) => {
      const namespace = await model.namespaces.get(param(request, 'path'), kind);
      const input = Input.body(request).onlyFields('role');
      const member = await model.members.set(
        namespace.path,
        param(request, 'username'),
        input.role(),
      );
      response.json(memberJson(member));
    });
    router.delete(`${collection}/:path/members/:username`, async (request, response) => {
      const namespace = await model.namespaces.get(param(request, 'path'), kind);
      await model.members.remove(namespace.path, param(request, 'username'));
      response.status(204).end();
    });
  }

  router.get('/projects/:path/deploy_tokens', async (request, response) => {
    response.json((await model.deployTokens.list(param(request, 'path'))).map(deployTokenJson));
  });
  router.post('/projects/:path/deploy_tokens', async (request, response) => {
    const input = Input.body(request).onlyFields('name', 'scopes', 'expires_at');
    const expiresAt = input.optionalDate('expires_at');
    const created = await inApiNames(
      model.deployTokens.create(param(request, 'path'), {
        name: input.string('name'),
        scopes: input.scopes(),
        ...(expiresAt === undefined ? {} : { expiresAt }),
      }),
    );
    response.status(201).json({ ...deployTokenJson(created.record), token: created.token });
  });
  router.delete('/projects/:path/deploy_tokens/:id', async (request, response) => {
    const token = await model.deployTokens.get(idParam(request));
    if (token.projectPath !== param(request, 'path')) {
      throw new ProjectsError('NOT_FOUND', `deploy token ${token.id} not found`);
    }
    response.json(deployTokenJson(await model.deployTokens.revoke(token.id)));
  });

  router.get('/settings', async (_request, response) => {
    response.json(settingsJson(await model.settings.get()));
  });
  router.patch('/settings', async (request, response) => {
    const input = Input.body(request).onlyFields(...Object.keys(settingNames));
    const changes: Record<string, unknown> = {};
    for (const name of input.names()) changes[settingNames[name] ?? name] = input.raw(name);
    const settings = await inApiNames(model.settings.update(changes));
    response.json({
      ...settingsJson(settings),
      ...(changes.registryEnabled === false ? { note: registryDisabledNote } : {}),
    });
  });
  return router;
}

/** A route parameter; Express decodes `team%2Fapp` to `team/app`. */
export function param(request: Request, name: string): string {
  const value = request.params[name];
  if (typeof value !== 'string' || value === '') throw new InvalidInputError(name, 'is required');
  return value;
}

function idParam(request: Request): number {
  const id = Number(param(request, 'id'));
  if (!Number.isSafeInteger(id) || id < 1) throw new InvalidInputError('id', 'must be a token id');
  return id;
}

/**
 * The model names fields as the code does (`expiresAt`); the caller wrote
 * them in snake_case (`expires_at`), so a refusal names them that way.
 */
async function inApiNames<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof InvalidInputError && /[A-Z]/.test(error.field)) {
      const field = error.field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      throw new InvalidInputError(field, error.message.slice(error.field.length + 2));
    }
    throw error;
  }
}
