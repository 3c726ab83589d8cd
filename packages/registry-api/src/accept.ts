import { MediaType } from '@lading/oci';

/** The media types a client lists in `Accept` (parameters and `q` values ignored, as distribution does). */
export function acceptedMediaTypes(accept: string | string[] | undefined): Set<string> {
  const values = Array.isArray(accept) ? accept : accept === undefined ? [] : [accept];
  return new Set(
    values.flatMap((value) =>
      value.split(',').map((item) => (item.split(';')[0] ?? '').trim().toLowerCase()),
    ),
  );
}

/**
 * Whether a stored manifest of `mediaType` may be served to a client that
 * accepts `accepted`. A client that names manifest types but not the OCI
 * ones is assumed not to understand OCI (distribution answers 404, and old
 * clients fall back on that); one that names none, or `*\/*`, gets what is
 * stored. Docker schema 2 is served to everyone, as distribution does.
 */
export function isAcceptable(mediaType: string, accepted: ReadonlySet<string>): boolean {
  const namesManifests = [...accepted].some((type) => type.startsWith('application/vnd.'));
  if (!namesManifests || accepted.has('*/*') || accepted.has(mediaType)) return true;
  return (
    mediaType === MediaType.dockerManifest ||
    mediaType === MediaType.dockerSchema1Signed ||
    mediaType === MediaType.dockerSchema1
  );
}

/**
 * True when a client asks by tag for a Docker manifest list but understands
 * only single Docker manifests: distribution then serves the linux/amd64 image.
 */
export function wantsSingleImage(mediaType: string, accepted: ReadonlySet<string>): boolean {
  return (
    mediaType === MediaType.dockerManifestList &&
    accepted.has(MediaType.dockerManifest) &&
    !accepted.has(MediaType.dockerManifestList)
  );
}
