import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  main?: string;
  types?: string;
  files?: string[];
  engines?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  nx?: { tags?: string[] };
}

export interface WorkspaceProject {
  /** Directory relative to the repository root, e.g. `packages/storage-driver`. */
  directory: string;
  manifest: PackageManifest;
}

/**
 * Every workspace project under `packages/`, `apps/`, `tools/`, `tools/emulators/` and
 * `examples/`: the root package.json's workspace globs.
 */
export async function workspaceProjects(): Promise<WorkspaceProject[]> {
  const projects: WorkspaceProject[] = [];
  for (const group of ['packages', 'apps', 'tools', 'tools/emulators', 'examples']) {
    const entries = await readdir(`${repositoryRoot}${group}`, { withFileTypes: true });
    for (const entry of entries.filter((candidate) => candidate.isDirectory())) {
      const directory = `${group}/${entry.name}`;
      const manifest = await readManifest(directory);
      if (manifest !== undefined) projects.push({ directory, manifest });
    }
  }
  return projects.sort((a, b) => a.directory.localeCompare(b.directory));
}

/** The published libraries: everything under `packages/`. */
export async function libraries(): Promise<WorkspaceProject[]> {
  return (await workspaceProjects()).filter((project) => project.directory.startsWith('packages/'));
}

async function readManifest(directory: string): Promise<PackageManifest | undefined> {
  try {
    const text = await readFile(`${repositoryRoot}${directory}/package.json`, 'utf8');
    return JSON.parse(text) as PackageManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Our own packages this project depends on at run time, or (with `dev`) for its tests only. */
export function internalDependencies(
  manifest: PackageManifest,
  known: ReadonlySet<string>,
  dev = false,
): string[] {
  const fields = dev
    ? { ...manifest.devDependencies }
    : { ...manifest.dependencies, ...manifest.peerDependencies };
  return Object.keys(fields)
    .filter((name) => known.has(name))
    .sort();
}
