import { validateRepositoryName } from '@lading/oci';
import type { StorageDriver } from '@lading/storage-driver';
import { listNames } from './listing.js';
import { assertPageSize, type PageRequest } from './pagination.js';
import { repositoriesPath, repositoryPath } from './paths.js';

export interface CatalogPage {
  readonly repositories: string[];
  /** More repositories follow the last one returned. */
  readonly truncated: boolean;
}

/**
 * Orders repository names component by component, so a repository sorts
 * right before everything below it (`a`, `a/b`, `a-b`), as distribution's
 * catalog does; and every subtree is one contiguous run of the order.
 */
export function compareRepositoryNames(a: string, b: string): number {
  const [left, right] = [a.split('/'), b.split('/')];
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const [x = '', y = ''] = [left[index], right[index]];
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * Lists repositories depth first, skipping every subtree wholly before
 * `last` and stopping as soon as the page is full.
 */
export async function listRepositories(
  driver: StorageDriver,
  request: PageRequest,
): Promise<CatalogPage> {
  assertPageSize(request.n);
  const limit = request.n ?? Number.POSITIVE_INFINITY;
  const repositories: string[] = [];
  let truncated = false;
  await walkRepositories(
    driver,
    '',
    (name) => {
      if (!isAfter(name, request.last)) return true;
      if (repositories.length >= limit) {
        truncated = true;
        return false;
      }
      repositories.push(name);
      return true;
    },
    (path) => whollyBefore(path, request.last),
  );
  return { repositories, truncated };
}

/**
 * The repository `prefix` and every repository below it (`prefix/…`, not
 * `prefix-x`), in catalog order, reading only the directories under
 * `repositories/<prefix>`. `NameInvalidError` when `prefix` is no repository name.
 */
export async function listRepositoriesUnder(
  driver: StorageDriver,
  prefix: string,
): Promise<string[]> {
  validateRepositoryName(prefix);
  const repositories: string[] = [];
  await walkRepositories(driver, prefix, (name) => {
    repositories.push(name);
    return true;
  });
  return repositories;
}

/**
 * Visits the repositories — directories holding `_manifests` — at and below
 * `root` (`''` for all) in catalog order, depth first, reading only directory
 * listings (no stat per entry) and never entering a repository's own `_`
 * directories, where no repository can be (no name component starts with
 * `_`). Children come sorted from `list`, so a repository is visited before
 * those below it, and `a/…` before `a-b`. `found` returns false to end the
 * walk; `skip` returns true for a subtree not to enter.
 */
async function walkRepositories(
  driver: StorageDriver,
  root: string,
  found: (name: string) => boolean,
  skip: (path: string) => boolean = () => false,
): Promise<void> {
  const visit = async (name: string): Promise<boolean> => {
    const children = await listNames(driver, name === '' ? repositoriesPath : repositoryPath(name));
    if (name !== '' && children.includes('_manifests') && !found(name)) return false;
    for (const child of children) {
      if (child.startsWith('_')) continue;
      const path = name === '' ? child : `${name}/${child}`;
      if (skip(path)) continue;
      if (!(await visit(path))) return false;
    }
    return true;
  };
  await visit(root);
}

function isAfter(name: string, last: string | undefined): boolean {
  return last === undefined || compareRepositoryNames(name, last) > 0;
}

/** True when `path` and everything below it sort before `last`, so none of it is on the page. */
function whollyBefore(path: string, last: string | undefined): boolean {
  if (last === undefined) return false;
  return compareRepositoryNames(path, last) < 0 && !last.startsWith(`${path}/`);
}
