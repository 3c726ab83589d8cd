import { parseDigest } from './digest.js';
import { NameInvalidError, TagInvalidError } from './errors.js';

/** distribution refuses longer names; many clients cap `host/name` at 255 too. */
export const maxRepositoryNameLength = 255;
export const maxTagLength = 128;

const component = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * Throws `NameInvalidError` unless `name` is a repository name per the OCI
 * distribution grammar: lowercase components joined by `/`, each of letters
 * and digits separated by `.`, `_`, `__` or dashes, at most 255 characters.
 */
export function validateRepositoryName(name: string): void {
  const problem = repositoryNameProblem(name);
  if (problem !== undefined) throw new NameInvalidError(name, problem);
}

export function isRepositoryName(name: unknown): name is string {
  return typeof name === 'string' && repositoryNameProblem(name) === undefined;
}

function repositoryNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.length > maxRepositoryNameLength) {
    return `is ${String(name.length)} characters long; at most ${String(maxRepositoryNameLength)} are allowed`;
  }
  for (const part of name.split('/')) {
    const problem = componentProblem(part);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function componentProblem(part: string): string | undefined {
  if (part === '') return 'has an empty path component (leading, trailing or double "/")';
  if (component.test(part)) return undefined;
  if (/[A-Z]/.test(part)) return `component "${part}" must be lowercase`;
  const bad = /[^a-z0-9._-]/.exec(part);
  if (bad !== null) {
    return `component "${part}" has ${JSON.stringify(bad[0])}; only a-z, 0-9 and the separators ".", "_", "__", "-" are allowed`;
  }
  if (/^[._-]/.test(part)) return `component "${part}" must start with a letter or digit`;
  if (/[._-]$/.test(part)) return `component "${part}" must end with a letter or digit`;
  return `component "${part}" has an invalid separator (one of ".", "_", "__" or dashes between letters or digits)`;
}

/** Throws `TagInvalidError` unless `tag` matches `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`. */
export function validateTag(tag: string): void {
  if (tagPattern.test(tag)) return;
  let reason = 'only letters, digits, "_", "." and "-" are allowed';
  if (tag === '') reason = 'must not be empty';
  else if (tag.length > maxTagLength)
    reason = `is ${String(tag.length)} characters long; at most 128 are allowed`;
  else if (/^[.-]/.test(tag)) reason = 'must not start with "." or "-"';
  throw new TagInvalidError(tag, reason);
}

export function isTag(tag: unknown): tag is string {
  return typeof tag === 'string' && tagPattern.test(tag);
}

/** What follows `/manifests/`: a tag or a digest. */
export type Reference =
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'digest'; readonly digest: string };

/**
 * A tag or a digest, told apart as distribution does (a digest has a colon,
 * which no tag can); throws `TagInvalidError` or `DigestInvalidError`.
 */
export function parseReference(reference: string): Reference {
  if (reference.includes(':')) return { kind: 'digest', digest: parseDigest(reference).digest };
  validateTag(reference);
  return { kind: 'tag', tag: reference };
}
