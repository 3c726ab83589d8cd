export { openDatabase } from './database.js';
export type { DatabaseOptions, ProjectsDatabase } from './database.js';
export type { Dialect } from './migrations.js';
export { ProjectsModel, openProjectsModel } from './model.js';
export type { ProjectsModelOptions } from './model.js';
export type { NewUser, User, UserChanges, Users } from './users.js';
export type { Namespace, NamespaceChanges, NewNamespace, Namespaces } from './namespaces.js';
export type { Member, Members } from './members.js';
export { deployTokenUsername } from './tokens.js';
export type {
  Created,
  DeployToken,
  DeployTokens,
  NewToken,
  PersonalAccessToken,
  PersonalAccessTokens,
} from './tokens.js';
export { defaultSettings, maxTokenLifetimeSeconds } from './settings.js';
export type { SiteSettings, Settings } from './settings.js';
export { roles, tokenScopes, visibilities, isRole, isTokenScope, isVisibility } from './roles.js';
export type { Role, TokenScope, Visibility } from './roles.js';
export { allowedActions } from './permissions.js';
export type { RegistryAction, RegistryTarget, Subject } from './permissions.js';
export {
  checkNamespacePath,
  checkRegistryName,
  registryNameProblem,
  maxPathLength,
} from './names.js';
export { InvalidInputError, ProjectsError, UnnamablePathError, isProjectsError } from './errors.js';
export type { ProjectsErrorCode } from './errors.js';
export {
  deployTokenPrefix,
  personalAccessTokenPrefix,
  randomPassword,
  minPasswordLength,
} from './secrets.js';
export { createProjectsAuthorizer } from './authorizer.js';
export { refuseIfHoldsImages } from './repositories.js';
export type { ContainerRepositories, TagDetails } from './repositories.js';
export { parseAge, tagsToDelete } from './cleanup.js';
export type { CleanupRules } from './cleanup.js';
export { createProjectsApi } from './api/router.js';
export type { ProjectsApiOptions } from './api/router.js';
export { registryDisabledNote } from './api/admin-routes.js';
