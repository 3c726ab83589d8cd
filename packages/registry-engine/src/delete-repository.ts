import { validateRepositoryName } from '@lading/oci';
import { isStorageError } from '@lading/storage-driver';
import type { EngineContext } from './engine-context.js';
import { DeletesDisabledError, NameUnknownError } from './errors.js';
import { repositoryOwnPaths } from './paths.js';

/**
 * Removes the repository `name`: its `_manifests` (revisions and tags),
 * `_referrers`, `_layers` and `_uploads`, `_manifests` first so that it leaves
 * the catalog at once. Blob data stays for garbage collection, and so do the
 * repositories nested in its directory (`name/child`), which distribution's
 * `Vacuum.RemoveRepository` would take with it (it deletes the whole
 * directory). A repository exists while any of those directories does, so a
 * delete that was interrupted, or a push that stopped before its manifest,
 * can be removed; `NameUnknownError` when none does.
 *
 * It emits no event: an event target is a blob, a manifest or a tag, and a
 * repository kind would widen a union that listeners may switch over.
 */
export async function deleteRepository(engine: EngineContext, name: string): Promise<void> {
  validateRepositoryName(name);
  if (!engine.settings.deleteEnabled) throw new DeletesDisabledError(`delete repository ${name}`);
  let found = false;
  for (const path of repositoryOwnPaths(name)) {
    try {
      await engine.driver.delete(path);
      found = true;
    } catch (error) {
      if (!isStorageError(error, 'PATH_NOT_FOUND')) throw error;
    }
  }
  if (!found) throw new NameUnknownError(name);
}
