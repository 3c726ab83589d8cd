import { validateTag } from '@lading/oci';
import { isStorageError } from '@lading/storage-driver';
import type { EngineContext } from './engine-context.js';
import { ManifestUnknownError, NameUnknownError } from './errors.js';
import { exists, readLink, writeLink } from './links.js';
import { assertPageSize, entriesAfter, probedPage, type PageRequest } from './pagination.js';
import { manifestsPath, tagCurrentLinkPath, tagIndexLinkPath, tagPath, tagsPath } from './paths.js';
import { mapLimit } from './concurrency.js';
import { TagDescriber, type TagDetails, type TagDetailsPage } from './tag-details.js';

export interface TagPage {
  readonly tags: string[];
  /** More tags follow the last one returned. */
  readonly truncated: boolean;
}

/**
 * The tags of one repository. A tag's `current/link` is replaced atomically,
 * after the manifest it names is stored, so a tag never points at a manifest
 * that is not (yet) complete.
 *
 * A tag is its `current/link`, not its directory: listings leave out a tag
 * directory without one, so every tag listed resolves. The filesystem driver
 * creates the directory before it renames the link into place, and removes a
 * tag file by file, so a crash at either moment leaves such a directory (as
 * can a tree distribution wrote, which writes the tag's index first).
 */
export class RepositoryTags {
  constructor(
    private readonly engine: EngineContext,
    readonly repository: string,
  ) {}

  /** The digest the tag points at; `ManifestUnknownError` if there is no such tag. */
  async resolve(tag: string): Promise<string> {
    validateTag(tag);
    return this.target(tag);
  }

  /**
   * The tag's manifest digest and media type, the bytes it keeps alive and
   * when it was built or else last set (see `TagDetails` for the exact rules);
   * `ManifestUnknownError` if there is no such tag or its manifest is gone.
   * Reads the manifest, and the config of each image, through the blob store.
   */
  async details(tag: string): Promise<TagDetails> {
    const digest = await this.resolve(tag);
    const describer = new TagDescriber(
      this.engine,
      this.repository,
      this.engine.settings.concurrency,
    );
    return describer.describe(tag, digest);
  }

  /**
   * `details` of the tags `list` would return, in its order and pages,
   * `settings.concurrency` tags at a time. A tag removed while the listing
   * runs, or whose manifest is gone, is left out. `NameUnknownError` when the
   * repository has never had a manifest.
   */
  async listDetails(request: PageRequest = {}): Promise<TagDetailsPage> {
    const { concurrency } = this.engine.settings;
    // Reading the link is the check that the tag exists, and gives its target.
    const page = await probedPage(await this.listed(), request, concurrency, (tag) =>
      readLink(this.engine.driver, tagCurrentLinkPath(this.repository, tag)),
    );
    // The tags run in parallel, so each reads the children of an index one at a time.
    const describer = new TagDescriber(this.engine, this.repository, 1);
    const details = await mapLimit(page.entries, concurrency, async ({ name, found }) => {
      try {
        return await describer.describe(name, found);
      } catch (error) {
        if (error instanceof ManifestUnknownError) return undefined;
        throw error;
      }
    });
    return {
      tags: details.filter((detail): detail is TagDetails => detail !== undefined),
      truncated: page.truncated,
    };
  }

  /**
   * Points `tag` at `digest`, then records it in the tag's history index.
   * Distribution writes the index first; a crash between the two then leaves a
   * tag that is listed but resolves to nothing. This order can only leave a
   * history entry missing, which nothing a client sees depends on.
   */
  async set(tag: string, digest: string): Promise<void> {
    validateTag(tag);
    await writeLink(this.engine.driver, tagCurrentLinkPath(this.repository, tag), digest);
    this.engine.tagPresence.confirm(this.repository, tag);
    await writeLink(this.engine.driver, tagIndexLinkPath(this.repository, tag, digest), digest);
  }

  /** Removes the tag (not the manifest). `ManifestUnknownError` if there is no such tag. */
  async remove(tag: string): Promise<void> {
    validateTag(tag);
    this.engine.tagPresence.forget(this.repository, tag);
    try {
      await this.engine.driver.delete(tagPath(this.repository, tag));
    } catch (error) {
      if (isStorageError(error, 'PATH_NOT_FOUND'))
        throw new ManifestUnknownError(this.repository, tag);
      throw error;
    }
  }

  /**
   * Tags in lexical (byte) order, `n` at a time after `last`.
   * `NameUnknownError` when the repository has never had a manifest.
   *
   * Costs one listing of the tags directory, plus one `stat` per tag returned
   * that this process has not seen with its link lately (`TagPresence`): one
   * `list` shows a tag's directory, not its link (docs/engine.md).
   */
  async list(request: PageRequest = {}): Promise<TagPage> {
    assertPageSize(request.n);
    const { tagPresence } = this.engine;
    const listed = await this.listed();
    const known = tagPresence.checker(this.repository);
    // The usual case, every tag of the page (and the one past it) known: no storage, no probes.
    const { n } = request;
    const after = entriesAfter(listed, request.last);
    const window = n === undefined ? after : after.slice(0, n + 1);
    if (window.every(known)) {
      const size = n ?? window.length;
      return { tags: window.slice(0, size), truncated: window.length > size };
    }
    const page = await probedPage(
      listed,
      request,
      this.engine.settings.concurrency,
      async (tag) => {
        if (!(await exists(this.engine.driver, tagCurrentLinkPath(this.repository, tag))))
          return undefined;
        tagPresence.confirm(this.repository, tag);
        return true;
      },
      (tag) => (known(tag) ? true : undefined),
    );
    return { tags: page.entries.map((entry) => entry.name), truncated: page.truncated };
  }

  /** The tags that currently point at `digest`. */
  async pointingAt(digest: string): Promise<string[]> {
    const tags = await this.listed().catch((error: unknown) => {
      if (error instanceof NameUnknownError) return [];
      throw error;
    });
    // A directory without current/link reads as no target, so it never matches.
    const targets = await mapLimit(tags, this.engine.settings.concurrency, (tag) =>
      readLink(this.engine.driver, tagCurrentLinkPath(this.repository, tag)),
    );
    return tags.filter((_, index) => targets[index] === digest);
  }

  /** What the tag's `current/link` names; no check of the tag, which storage listed. */
  private async target(tag: string): Promise<string> {
    const digest = await readLink(this.engine.driver, tagCurrentLinkPath(this.repository, tag));
    if (digest === undefined) throw new ManifestUnknownError(this.repository, tag);
    return digest;
  }

  /** The names of the tag directories, whether or not each has its `current/link`. */
  private async listed(): Promise<string[]> {
    try {
      return (await this.engine.driver.list(tagsPath(this.repository))).map((path) =>
        path.slice(path.lastIndexOf('/') + 1),
      );
    } catch (error) {
      if (!isStorageError(error, 'PATH_NOT_FOUND')) throw error;
      if (await exists(this.engine.driver, manifestsPath(this.repository))) return [];
      throw new NameUnknownError(this.repository);
    }
  }
}
