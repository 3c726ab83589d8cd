import { blobHead } from './blob-head.js';
import { catalogWalk } from './catalog-walk.js';
import { manifestGet } from './manifest-get.js';
import { memory } from './memory.js';
import { smallPushes } from './small-pushes.js';
import { tagsList } from './tags-list.js';
import { chunkedUpload, download, monolithicUpload } from './uploads.js';
import type { Workload } from './workload.js';

/** Every workload, by its number in the issue. */
export const workloads: readonly Workload[] = [
  monolithicUpload,
  chunkedUpload,
  download,
  blobHead,
  manifestGet,
  smallPushes,
  tagsList,
  catalogWalk,
  memory,
];
