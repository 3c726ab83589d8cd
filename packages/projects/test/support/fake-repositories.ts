import { ProjectsError, type ContainerRepositories, type TagDetails } from '../../src/index.js';

/** A tag as a test writes it: details default to something plausible. */
export interface FakeTag {
  readonly name: string;
  readonly digest?: string;
  readonly size?: number;
  readonly createdAt?: Date;
}

type Method = keyof ContainerRepositories;

/**
 * `ContainerRepositories` in memory, as the interface documents it: missing
 * repositories and tags are `ProjectsError('NOT_FOUND')`. Every deletion is
 * recorded, in order, so a test can say exactly what the API removed — and
 * that it removed nothing when it should not have.
 */
export class FakeRepositories implements ContainerRepositories {
  /** `repository:tag` for each deleted tag, in the order deleted. */
  readonly deletedTags: string[] = [];
  readonly deletedRepositories: string[] = [];
  readonly #repositories = new Map<string, Map<string, TagDetails>>();
  readonly #failures = new Map<Method, Error>();

  /** Adds (or replaces) `repository` with `tags`. */
  add(repository: string, tags: readonly (FakeTag | string)[] = []): this {
    const stored = new Map<string, TagDetails>();
    for (const [index, spec] of tags.entries()) {
      const tag = typeof spec === 'string' ? { name: spec } : spec;
      stored.set(tag.name, {
        name: tag.name,
        digest: tag.digest ?? `sha256:${(index + 1).toString(16).padStart(64, '0')}`,
        size: tag.size ?? 1000 + index,
        ...(tag.createdAt === undefined ? {} : { createdAt: tag.createdAt }),
      });
    }
    this.#repositories.set(repository, stored);
    return this;
  }

  /** Makes `method` reject with `error` from now on, as a broken backend would. */
  fail(method: Method, error: Error): this {
    this.#failures.set(method, error);
    return this;
  }

  /** Tag names of `repository`, sorted; `undefined` when it does not exist. */
  tagNames(repository: string): string[] | undefined {
    const tags = this.#repositories.get(repository);
    return tags === undefined ? undefined : [...tags.keys()].sort();
  }

  /** Everything deleted so far, tags and repositories. */
  get deletions(): string[] {
    return [...this.deletedTags, ...this.deletedRepositories.map((name) => `repository ${name}`)];
  }

  under(prefix: string): Promise<string[]> {
    return this.#call('under', () =>
      [...this.#repositories.keys()]
        .filter((name) => name === prefix || name.startsWith(`${prefix}/`))
        .sort(),
    );
  }

  tags(repository: string): Promise<TagDetails[]> {
    return this.#call('tags', () =>
      [...this.#repository(repository).values()].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  tag(repository: string, tag: string): Promise<TagDetails> {
    return this.#call('tag', () => this.#tag(repository, tag));
  }

  deleteTag(repository: string, tag: string): Promise<void> {
    return this.#call('deleteTag', () => {
      this.#tag(repository, tag);
      this.#repository(repository).delete(tag);
      this.deletedTags.push(`${repository}:${tag}`);
    });
  }

  deleteRepository(repository: string): Promise<void> {
    return this.#call('deleteRepository', () => {
      this.#repository(repository);
      this.#repositories.delete(repository);
      this.deletedRepositories.push(repository);
    });
  }

  #repository(repository: string): Map<string, TagDetails> {
    const tags = this.#repositories.get(repository);
    if (tags === undefined) {
      throw new ProjectsError('NOT_FOUND', `repository "${repository}" not found`);
    }
    return tags;
  }

  #tag(repository: string, tag: string): TagDetails {
    const details = this.#repository(repository).get(tag);
    if (details === undefined) {
      throw new ProjectsError('NOT_FOUND', `tag "${tag}" of "${repository}" not found`);
    }
    return details;
  }

  async #call<T>(method: Method, body: () => T): Promise<T> {
    await Promise.resolve();
    const failure = this.#failures.get(method);
    if (failure !== undefined) throw failure;
    return body();
  }
}
