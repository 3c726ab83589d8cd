import { MiB } from './payload.js';

/** How much work each workload does: the full bench, or the smoke's small version. */
export interface Sizes {
  /** Workloads 1–3: the blob uploaded and downloaded. */
  bigBlob: number;
  /** Workload 2: bytes per PATCH. */
  chunk: number;
  /** Workloads 4 and 5: requests in all. */
  requests: number;
  /** Workloads 4 and 5: requests in flight at once. */
  concurrency: number;
  /** Workload 6: images pushed. */
  smallImages: number;
  /** Workload 7: tags on one repository. */
  tags: number;
  /** Workload 8: repositories. */
  repositories: number;
  /** Workload 9: the large blob, its PATCH size, and the small one for comparison. */
  memoryBlob: number;
  memoryChunk: number;
  memoryBaseline: number;
}

export const fullSizes: Sizes = {
  bigBlob: 256 * MiB,
  chunk: 16 * MiB,
  requests: 20_000,
  concurrency: 32,
  smallImages: 100,
  tags: 2_000,
  repositories: 2_000,
  memoryBlob: 2048 * MiB,
  memoryChunk: 64 * MiB,
  memoryBaseline: 20 * MiB,
};

/** Small enough for CI: only correctness, and that every workload yields a number. */
export const smokeSizes: Sizes = {
  bigBlob: 32 * MiB,
  chunk: 8 * MiB,
  requests: 500,
  concurrency: 32,
  smallImages: 10,
  tags: 100,
  repositories: 100,
  memoryBlob: 64 * MiB,
  memoryChunk: 16 * MiB,
  memoryBaseline: 20 * MiB,
};

/** `256 MiB`, `2 GiB`, `64 KiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB && bytes % (1024 * MiB) === 0) return `${bytes / (1024 * MiB)} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}
