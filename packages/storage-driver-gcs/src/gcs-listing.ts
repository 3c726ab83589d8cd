import type { File, GetFilesOptions } from '@google-cloud/storage';
import type { FileInfo } from '@lading/storage-driver';
import type { GcsStore } from './gcs-store.js';

/** Objects per listing page: the JSON API's maximum. */
const pageSize = 1000;
const epoch = new Date(0);

/** One page of a listing: objects, and "subdirectories" when listed with a delimiter. */
export interface ListingPage {
  readonly files: File[];
  readonly prefixes: string[];
}

/** Every page below `prefix`, following page tokens; with `/`, rolled up at the next `/`. */
export async function* listPages(
  store: GcsStore,
  prefix: string,
  delimiter?: '/',
): AsyncGenerator<ListingPage> {
  let query: GetFilesOptions | undefined = {
    prefix,
    autoPaginate: false,
    maxResults: pageSize,
    ...(delimiter === undefined ? {} : { delimiter }),
  };
  while (query !== undefined) {
    const current = query;
    const [files, next, response] = await store.regulator.run(() => store.bucket.getFiles(current));
    const prefixes = (response as { prefixes?: string[] } | undefined)?.prefixes ?? [];
    yield { files, prefixes };
    query = nextQuery(next);
  }
}

/** The SDK's type says otherwise, but after the last page there is no next query: null. */
function nextQuery(next: unknown): GetFilesOptions | undefined {
  return typeof next === 'object' && next !== null ? next : undefined;
}

/** The entries directly below directory `path`, page by page, as `ObjectTree` wants them. */
export async function* listLevel(store: GcsStore, path: string): AsyncGenerator<FileInfo[]> {
  for await (const page of listPages(store, store.keys.directoryPrefix(path), '/')) {
    yield [
      ...page.prefixes.map((prefix) => ({
        path: store.keys.path(prefix),
        size: 0,
        modTime: epoch,
        isDir: true,
      })),
      ...page.files.map((file) => fileInfo(store, file)),
    ];
  }
}

function fileInfo(store: GcsStore, file: File): FileInfo {
  return {
    path: store.keys.path(file.name),
    size: Number(file.metadata.size ?? 0),
    modTime: file.metadata.updated === undefined ? epoch : new Date(file.metadata.updated),
    isDir: false,
  };
}
