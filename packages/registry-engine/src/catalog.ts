import type { StorageDriver } from '@lading/storage-driver';
import { listNames } from './listing.js';
import { assertPageSize, type PageRequest } from './pagination.js';
import { repositoriesPath } from './paths.js';

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
 * Lists repositories — directories holding `_manifests` — depth first,
 * reading only directory listings (no stat per entry), skipping the
 * repositories' own `_` directories and every subtree wholly before `last`,
 * and stopping as soon as the page is full.
 */
export async function listRepositories(
  driver: StorageDriver,
  request: PageRequest,
): Promise<CatalogPage> {
  assertPageSize(request.n);
  const limit = request.n ?? Number.POSITIVE_INFINITY;
  const repositories: string[] = [];
  let truncated = false;

  const visit = async (name: string): Promise<boolean> => {
    const children = await listNames(
      driver,
      name === '' ? repositoriesPath : `${repositoriesPath}/${name}`,
    );
    if (name !== '' && children.includes('_manifests') && isAfter(name, request.last)) {
      if (repositories.length >= limit) {
        truncated = true;
        return false;
      }
      repositories.push(name);
    }
    for (const child of children) {
      if (child.startsWith('_')) continue;
      const path = name === '' ? child : `${name}/${child}`;
      if (whollyBefore(path, request.last)) continue;
      if (!(await visit(path))) return false;
    }
    return true;
  };

  await visit('');
  return { repositories, truncated };
}

function isAfter(name: string, last: string | undefined): boolean {
  return last === undefined || compareRepositoryNames(name, last) > 0;
}

/** True when `path` and everything below it sort before `last`, so none of it is on the page. */
function whollyBefore(path: string, last: string | undefined): boolean {
  if (last === undefined) return false;
  return compareRepositoryNames(path, last) < 0 && !last.startsWith(`${path}/`);
}
