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
    // The page, and one more to know whether it is the last.
    () => limit + 1 - repositories.length,
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
 * walk; `skip` returns true for a subtree not to enter; `wanted` says how many
 * more repositories the caller may take, so that no more siblings than that
 * are listed ahead.
 */
async function walkRepositories(
  driver: StorageDriver,
  root: string,
  found: (name: string) => boolean,
  skip: (path: string) => boolean = () => false,
  wanted: () => number = () => Number.POSITIVE_INFINITY,
): Promise<void> {
  const listings = new ListingPrefetch(driver);
  const visit = async (name: string): Promise<boolean> => {
    const children = await listings.take(name);
    if (name !== '' && children.includes('_manifests') && !found(name)) return false;
    const paths = children
      .filter((child) => !child.startsWith('_'))
      .map((child) => (name === '' ? child : `${name}/${child}`));
    for (let index = firstNotSkipped(paths, skip); index < paths.length; index += 1) {
      const ahead = Math.min(prefetchDepth, wanted() - 1);
      listings.prefetch(paths.slice(index + 1, index + 1 + Math.max(0, ahead)));
      if (!(await visit(paths[index] ?? ''))) return false;
    }
    return true;
  };
  await visit(root);
}

/**
 * The index of the first of the sorted sibling `paths` not to skip. Skipped
 * subtrees lie wholly before `last`, so they come first among siblings: a
 * binary search finds the end of them, where testing every sibling made a
 * page deep into 2,000 repositories cost 2 ms more than the first.
 */
function firstNotSkipped(paths: readonly string[], skip: (path: string) => boolean): number {
  let [low, high] = [0, paths.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (skip(paths[middle] ?? '')) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * How many sibling directories are listed ahead of the walk. Each catalog
 * entry costs a listing (is `_manifests` there?); one after the other they
 * took 6 ms a page of 100, side by side 1 ms (docs/performance.md).
 */
const prefetchDepth = 16;

/** Directory listings started ahead of need, each taken once, in any order. */
class ListingPrefetch {
  readonly #started = new Map<string, Promise<string[]>>();

  constructor(private readonly driver: StorageDriver) {}

  prefetch(names: readonly string[]): void {
    for (const name of names) {
      if (this.#started.has(name)) continue;
      const listing = this.list(name);
      // Awaited by `take`, if the walk gets there; an early stop must not leave it unhandled.
      listing.catch(() => undefined);
      this.#started.set(name, listing);
    }
  }

  take(name: string): Promise<string[]> {
    const started = this.#started.get(name);
    this.#started.delete(name);
    return started ?? this.list(name);
  }

  private list(name: string): Promise<string[]> {
    return listNames(this.driver, name === '' ? repositoriesPath : repositoryPath(name));
  }
}

function isAfter(name: string, last: string | undefined): boolean {
  return last === undefined || compareRepositoryNames(name, last) > 0;
}

/** True when `path` and everything below it sort before `last`, so none of it is on the page. */
function whollyBefore(path: string, last: string | undefined): boolean {
  if (last === undefined) return false;
  return compareRepositoryNames(path, last) < 0 && !last.startsWith(`${path}/`);
}
