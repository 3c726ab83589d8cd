import type { ProjectsConfig } from '@lading/config';
import {
  openProjectsModel,
  ProjectsError,
  type ContainerRepositories,
  type ProjectsModel,
  type TagDetails,
} from '@lading/projects';
import {
  DeletesDisabledError,
  ManifestUnknownError,
  NameUnknownError,
  type RegistryEngine,
} from '@lading/registry-engine';
import { NameInvalidError } from '@lading/oci';

const deletesDisabled = 'deletes are disabled on this registry (storage.delete.enabled: false)';

/** The forge model on the database `lading.projects` names. */
export function openProjects(config: ProjectsConfig): Promise<ProjectsModel> {
  const { database } = config;
  return openProjectsModel({
    database:
      'sqlite' in database
        ? { dialect: 'sqlite', path: database.sqlite }
        : {
            dialect: 'postgres',
            connectionString: database.postgres,
            maxConnections: database.maxconnections,
          },
    bcryptCost: config.bcryptcost,
  });
}

/**
 * The projects API's view of the registry, on the engine: what it lists and
 * deletes, with the engine's errors said in the model's terms.
 */
export function engineRepositories(
  engine: RegistryEngine,
  deleteEnabled: boolean,
): ContainerRepositories {
  const refuseUnlessDeletes = (): void => {
    if (!deleteEnabled) throw new ProjectsError('FORBIDDEN', deletesDisabled);
  };
  return {
    async under(prefix) {
      try {
        return await engine.repositoriesUnder(prefix);
      } catch (error) {
        // A project path the registry cannot name holds no repositories.
        if (error instanceof NameInvalidError) return [];
        throw error;
      }
    },
    async tags(repository) {
      const tags: TagDetails[] = [];
      let last: string | undefined;
      for (;;) {
        const page = await mapped(() =>
          engine
            .repository(repository)
            .tags.listDetails({ n: 1000, ...(last === undefined ? {} : { last }) }),
        );
        tags.push(...page.tags);
        last = page.tags.at(-1)?.name;
        if (!page.truncated || last === undefined) return tags;
      }
    },
    tag(repository, tag) {
      return mapped(() => engine.repository(repository).tags.details(tag));
    },
    async deleteTag(repository, tag) {
      refuseUnlessDeletes();
      await mapped(() => engine.repository(repository).tags.remove(tag));
    },
    async deleteRepository(repository) {
      await mapped(() => engine.deleteRepository(repository));
    },
  };
}

async function mapped<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof NameUnknownError || error instanceof NameInvalidError) {
      throw new ProjectsError('NOT_FOUND', 'repository not found', { cause: error });
    }
    if (error instanceof ManifestUnknownError) {
      throw new ProjectsError('NOT_FOUND', 'tag not found', { cause: error });
    }
    if (error instanceof DeletesDisabledError) {
      throw new ProjectsError('FORBIDDEN', deletesDisabled, { cause: error });
    }
    throw error;
  }
}
