import type { Member } from '../members.js';
import type { Namespace } from '../namespaces.js';
import type { TagDetails } from '../repositories.js';
import type { SiteSettings } from '../settings.js';
import type { DeployToken, PersonalAccessToken } from '../tokens.js';
import type { User } from '../users.js';

/** The API speaks snake_case JSON, as GitLab's does. */
export type Json = Record<string, unknown>;

const iso = (date: Date | undefined): string | null => date?.toISOString() ?? null;

export function userJson(user: User): Json {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    admin: user.admin,
    blocked: user.blocked,
    created_at: iso(user.createdAt),
  };
}

export function namespaceJson(namespace: Namespace): Json {
  return {
    id: namespace.id,
    kind: namespace.kind,
    path: namespace.path,
    visibility: namespace.visibility,
    ...(namespace.kind === 'project'
      ? {
          container_registry_enabled: namespace.containerRegistryEnabled,
          registry_disabled_reason: namespace.registryDisabledReason ?? null,
        }
      : {}),
    created_at: iso(namespace.createdAt),
  };
}

export function memberJson(member: Member): Json {
  return { username: member.username, role: member.role, created_at: iso(member.createdAt) };
}

export function personalAccessTokenJson(token: PersonalAccessToken): Json {
  return {
    id: token.id,
    name: token.name,
    username: token.username,
    scopes: token.scopes,
    expires_at: iso(token.expiresAt),
    revoked: token.revokedAt !== undefined,
    revoked_at: iso(token.revokedAt),
    last_used_at: iso(token.lastUsedAt),
    created_at: iso(token.createdAt),
  };
}

export function deployTokenJson(token: DeployToken): Json {
  return {
    id: token.id,
    name: token.name,
    username: token.username,
    project: token.projectPath,
    scopes: token.scopes,
    expires_at: iso(token.expiresAt),
    revoked: token.revokedAt !== undefined,
    revoked_at: iso(token.revokedAt),
    created_at: iso(token.createdAt),
  };
}

export function settingsJson(settings: SiteSettings): Json {
  return {
    registry_enabled: settings.registryEnabled,
    container_registry_default: settings.containerRegistryDefault,
    token_lifetime_seconds: settings.tokenLifetimeSeconds,
    allow_unnamable_paths: settings.allowUnnamablePaths,
  };
}

/** API names of settings → the model's. */
export const settingNames: Readonly<Record<string, keyof SiteSettings>> = {
  registry_enabled: 'registryEnabled',
  container_registry_default: 'containerRegistryDefault',
  token_lifetime_seconds: 'tokenLifetimeSeconds',
  allow_unnamable_paths: 'allowUnnamablePaths',
};

export function tagJson(repository: string, location: string, tag: TagDetails): Json {
  return {
    name: tag.name,
    path: `${repository}:${tag.name}`,
    location: `${location}/${repository}:${tag.name}`,
    digest: tag.digest,
    total_size: tag.size,
    created_at: iso(tag.createdAt),
  };
}
