import { isRepositoryName, maxRepositoryNameLength } from '@lading/oci';
import { formatAccess, type Access } from './access.js';

/*
 * The scope grammar of distribution's `docs/content/spec/auth/scope.md`:
 *
 *   scope         := resourcescope (' ' resourcescope)*
 *   resourcescope := type ':' name ':' action (',' action)*
 *   type          := [a-z0-9]+ ('(' [a-z0-9]+ ')')?
 *   name          := [hostname '/'] component ('/' component)*
 *   hostname      := hostcomponent ('.' hostcomponent)* [':' port]
 *   action        := [a-z]* | '*'
 *
 * A name may hold one colon, the port of its host prefix, so the type ends at
 * the first colon and the actions start after the last one.
 */

/** Longer scopes are not parsed: a name is at most 255 characters, and the actions few. */
export const maxScopeLength = 1024;

const typePattern = /^([a-z0-9]+)(?:\(([a-z0-9]+)\))?$/;
const actionPattern = /^(?:[a-z]*|\*)$/;
const hostComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
// distribution's reference grammar also takes a bracketed IPv6 address as the host.
const hostPattern = new RegExp(
  `^(?:${hostComponent}(?:\\.${hostComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`,
);

/**
 * One resource scope (`repository:group/app:pull,push`,
 * `repository(plugin):x:pull`, `registry:catalog:*`), or `undefined` when it
 * is malformed in any part. Callers ignore malformed scopes rather than grant
 * part of one, as distribution's token server and GitLab do. Empty actions
 * (`a::pull`, a trailing comma) are dropped and repeated ones merged.
 */
export function parseScope(text: string): Access | undefined {
  if (text.length > maxScopeLength) return undefined;
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  const type = typePattern.exec(text.slice(0, first));
  const name = text.slice(first + 1, last);
  if (type?.[1] === undefined || !isResourceName(type[1], name)) return undefined;
  const actions: string[] = [];
  for (const action of text.slice(last + 1).split(',')) {
    if (!actionPattern.test(action)) return undefined;
    if (action !== '' && !actions.includes(action)) actions.push(action);
  }
  const resourceClass = type[2];
  return resourceClass === undefined
    ? { type: type[1], name, actions }
    : { type: type[1], class: resourceClass, name, actions };
}

function isResourceName(type: string, name: string): boolean {
  // The only registry-wide resource distribution knows is the catalog.
  if (type === 'registry') return name === 'catalog';
  if (name.length > maxRepositoryNameLength) return false;
  if (isPath(name)) return true;
  const slash = name.indexOf('/');
  return slash > 0 && hostPattern.test(name.slice(0, slash)) && isPath(name.slice(slash + 1));
}

/** `@lading/oci`'s repository-name grammar, as a plain predicate (its type guard narrows to `never`). */
function isPath(name: string): boolean {
  return isRepositoryName(name);
}

/**
 * Every well-formed scope in `values`: the repeated `scope` query parameter of
 * the token endpoint, or the one space-separated `scope` field of its OAuth2
 * form. Scopes on one resource (same type, class and name) are merged into one
 * entry, in the order they first appear; malformed ones are left out.
 */
export function parseScopes(values: string | readonly string[] | undefined): Access[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const merged = new Map<string, { access: Access; actions: string[] }>();
  for (const value of list) {
    for (const text of value.split(' ')) {
      if (text === '') continue;
      const access = parseScope(text);
      if (access === undefined) continue;
      const key = resourceKey(access, true);
      const entry = merged.get(key);
      if (entry === undefined) {
        merged.set(key, { access, actions: [...access.actions] });
      } else {
        for (const action of access.actions) {
          if (!entry.actions.includes(action)) entry.actions.push(action);
        }
      }
    }
  }
  return [...merged.values()].map(({ access, actions }) => ({ ...access, actions }));
}

/** Scopes as a challenge's `scope` parameter or the OAuth2 `scope` field: space-separated. */
export function formatScopes(access: readonly Access[]): string {
  return access.map(formatAccess).join(' ');
}

/**
 * Whether `granted` (a token's `access` claim) covers every action of
 * `needed`. A granted `*` covers any action, and the resource class is
 * ignored (`repository(plugin)` is `repository`), as in distribution v3.
 */
export function satisfies(granted: readonly Access[], needed: Access): boolean {
  const key = resourceKey(needed, false);
  const held = granted.filter((item) => resourceKey(item, false) === key);
  return needed.actions.every((action) =>
    held.some((item) => item.actions.includes('*') || item.actions.includes(action)),
  );
}

/** Identifies a resource; `withClass` keeps `repository(plugin)` apart from `repository`. */
export function resourceKey(access: Access, withClass: boolean): string {
  const resourceClass = withClass ? (access.class ?? '') : '';
  return `${access.type}(${resourceClass}):${access.name}`;
}
