/** The API's resources, as distribution's router names them. */
export type RouteName =
  'base' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'uploads' | 'upload' | 'referrers';

export interface RouteMatch {
  readonly route: RouteName;
  /** The repository name, not yet validated. */
  readonly name?: string;
  /** What follows the resource: a reference, a digest or an upload id. */
  readonly target?: string;
}

// Names may contain anything a path can, including "blobs" or "manifests" as a
// component, so each pattern takes the name greedily and anchors its suffix.
const patterns: readonly [RouteName, RegExp][] = [
  ['base', /^\/v2\/?$/],
  ['catalog', /^\/v2\/_catalog$/],
  ['tags', /^\/v2\/(.+)\/tags\/list$/],
  ['uploads', /^\/v2\/(.+)\/blobs\/uploads\/?$/],
  ['upload', /^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/],
  ['blob', /^\/v2\/(.+)\/blobs\/([^/]+:[^/]+)$/],
  ['manifest', /^\/v2\/(.+)\/manifests\/([^/]+)$/],
  ['referrers', /^\/v2\/(.+)\/referrers\/([^/]+)$/],
];

export function matchRoute(path: string): RouteMatch | undefined {
  for (const [route, pattern] of patterns) {
    const match = pattern.exec(path);
    if (match === null) continue;
    const [, rawName, rawTarget] = match;
    const name = decode(rawName);
    const target = decode(rawTarget);
    if (name === null || target === null) return undefined;
    return {
      route,
      ...(name === undefined ? {} : { name: decodeURIComponent(name) }),
      ...(target === undefined ? {} : { target: decodeURIComponent(target) }),
    };
  }
  return undefined;
}

/** Percent-decodes a path part (`sha256%3A…`); `null` when it is malformed. */
function decode(part: string | undefined): string | undefined | null {
  if (part === undefined) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
