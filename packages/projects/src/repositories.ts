import { ProjectsError } from './errors.js';

/** One tag of a registry repository, as the forge's registry API shows it. */
export interface TagDetails {
  readonly name: string;
  readonly digest: string;
  /** Bytes of the manifest and everything it references. */
  readonly size: number;
  /** The image's creation time (its config's `created`), else when the tag was written. */
  readonly createdAt?: Date;
}

/**
 * The registry as the forge sees it: what the project API lists and deletes.
 * The composing application implements it on its registry engine; failures
 * it should report as `ProjectsError` (`NOT_FOUND` for a missing tag or
 * repository, `FORBIDDEN` when the registry refuses deletes).
 */
export interface ContainerRepositories {
  /** Repositories named `prefix` or below `prefix/`, in catalog order. */
  under(prefix: string): Promise<string[]>;
  /** Every tag of `repository` with its details. */
  tags(repository: string): Promise<TagDetails[]>;
  tag(repository: string, tag: string): Promise<TagDetails>;
  /** Removes the tag; the image stays until garbage collection. */
  deleteTag(repository: string, tag: string): Promise<void>;
  /** Removes the repository's manifests, tags and layer links; nested repositories stay. */
  deleteRepository(repository: string): Promise<void>;
}

/**
 * Refuses (`CONFLICT`) to rename or delete `path` while the registry holds
 * repositories under it: their images would be orphaned under the old path.
 */
export async function refuseIfHoldsImages(
  repositories: ContainerRepositories,
  path: string,
  verb: string,
): Promise<void> {
  const held = await repositories.under(path);
  if (held.length === 0) return;
  const listed = `${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''}`;
  const noun = held.length === 1 ? 'repository' : 'repositories';
  throw new ProjectsError(
    'CONFLICT',
    `"${path}" holds ${held.length} registry ${noun} (${listed}); delete them before it can be ${verb}`,
  );
}
