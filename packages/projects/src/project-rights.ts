import type { ProjectsModel } from './model.js';
import type { Namespace } from './namespaces.js';
import { allowedActions, type RegistryAction, type Subject } from './permissions.js';
import type { Role } from './roles.js';
import type { SiteSettings } from './settings.js';

/**
 * `allowedActions` for `subject` on `project`'s registry, with the user's
 * role looked up over the project and its groups (`userId`: the user behind
 * a `user` subject). The one place the token endpoint and the projects API
 * turn a project row into a permission-table target.
 */
export async function rightsOnProject(
  model: ProjectsModel,
  subject: Subject,
  userId: number | undefined,
  project: Namespace,
  settings: SiteSettings,
): Promise<RegistryAction[]> {
  const withRole: Subject =
    subject.kind === 'user' && userId !== undefined
      ? withStrongestRole(
          subject,
          await model.members.effectiveRole(userId, await model.namespaces.lineage(project)),
        )
      : subject;
  return allowedActions(withRole, {
    projectId: project.id,
    visibility: project.visibility,
    projectRegistryEnabled:
      project.containerRegistryEnabled && project.registryDisabledReason === undefined,
    siteRegistryEnabled: settings.registryEnabled,
  });
}

function withStrongestRole(
  subject: Extract<Subject, { kind: 'user' }>,
  role: Role | undefined,
): Subject {
  return role === undefined ? subject : { ...subject, role };
}
