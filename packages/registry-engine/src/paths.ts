import { parseDigest } from '@lading/oci';

/**
 * Every storage path the engine uses, exactly as CNCF distribution lays them
 * out (`registry/storage/paths.go`), so either can serve the other's tree:
 *
 * ```
 * /docker/registry/v2/
 * ├── blobs/<alg>/<xx>/<hex>/data                    content of blobs and manifests
 * └── repositories/<name>/                           <name> nests: group/sub/app
 *     ├── _layers/<alg>/<hex>/link                   blobs linked into the repository
 *     ├── _manifests/
 *     │   ├── revisions/<alg>/<hex>/link             manifests in the repository
 *     │   └── tags/<tag>/
 *     │       ├── current/link                       what the tag points at now
 *     │       └── index/<alg>/<hex>/link             everything it ever pointed at
 *     ├── _uploads/<id>/{data,startedat}             uploads in progress
 *     └── _referrers/<alg>/<hex>/<alg>/<hex>/link    Lading only: referrers of a subject
 * ```
 *
 * `<xx>` is the first two characters of `<hex>`. A `link` holds a digest
 * string with no trailing newline. Distribution skips `_referrers` (it walks
 * only the directories it knows), so the extra index does not disturb it.
 */
export const rootPath = '/docker/registry/v2';
export const blobsPath = `${rootPath}/blobs`;
export const repositoriesPath = `${rootPath}/repositories`;

/** `sha256:abcd…` → `sha256/abcd…`, as distribution nests digests. */
function digestPath(digest: string): string {
  const { algorithm, encoded } = parseDigest(digest);
  return `${algorithm}/${encoded}`;
}

export function blobDirectory(digest: string): string {
  const { algorithm, encoded } = parseDigest(digest);
  return `${blobsPath}/${algorithm}/${encoded.slice(0, 2)}/${encoded}`;
}

export function blobDataPath(digest: string): string {
  return `${blobDirectory(digest)}/data`;
}

export function repositoryPath(name: string): string {
  return `${repositoriesPath}/${name}`;
}

export function layersPath(name: string): string {
  return `${repositoryPath(name)}/_layers`;
}

export function layerLinkPath(name: string, digest: string): string {
  return `${layersPath(name)}/${digestPath(digest)}/link`;
}

export function manifestsPath(name: string): string {
  return `${repositoryPath(name)}/_manifests`;
}

export function revisionsPath(name: string): string {
  return `${manifestsPath(name)}/revisions`;
}

export function revisionLinkPath(name: string, digest: string): string {
  return `${revisionsPath(name)}/${digestPath(digest)}/link`;
}

export function tagsPath(name: string): string {
  return `${manifestsPath(name)}/tags`;
}

export function tagPath(name: string, tag: string): string {
  return `${tagsPath(name)}/${tag}`;
}

export function tagCurrentLinkPath(name: string, tag: string): string {
  return `${tagPath(name, tag)}/current/link`;
}

export function tagIndexLinkPath(name: string, tag: string, digest: string): string {
  return `${tagPath(name, tag)}/index/${digestPath(digest)}/link`;
}

export function uploadsPath(name: string): string {
  return `${repositoryPath(name)}/_uploads`;
}

export function uploadPath(name: string, id: string): string {
  return `${uploadsPath(name)}/${id}`;
}

export function uploadDataPath(name: string, id: string): string {
  return `${uploadPath(name, id)}/data`;
}

export function uploadStartedAtPath(name: string, id: string): string {
  return `${uploadPath(name, id)}/startedat`;
}

export function referrersRootPath(name: string): string {
  return `${repositoryPath(name)}/_referrers`;
}

export function referrersPath(name: string, subject: string): string {
  return `${referrersRootPath(name)}/${digestPath(subject)}`;
}

export function referrerLinkPath(name: string, subject: string, referrer: string): string {
  return `${referrersPath(name, subject)}/${digestPath(referrer)}/link`;
}

/**
 * The directories that belong to the repository `name` itself, as against the
 * repositories nested in its directory (`name/child`): no repository name
 * component can start with `_`. `_manifests` comes first: it is what makes a
 * directory a repository, so removing it first hides the repository at once.
 */
export function repositoryOwnPaths(name: string): string[] {
  return [manifestsPath(name), referrersRootPath(name), layersPath(name), uploadsPath(name)];
}
