import { PathNotFoundError, StorageDriverError } from '@lading/storage-driver';

export interface FileNode {
  readonly kind: 'file';
  /** Never mutated once stored: readers keep streaming a snapshot while writers replace it. */
  readonly chunks: readonly Buffer[];
  readonly size: number;
  readonly modTime: Date;
}

export interface DirectoryNode {
  readonly kind: 'directory';
  readonly children: Map<string, TreeNode>;
  modTime: Date;
}

export type TreeNode = FileNode | DirectoryNode;

function components(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

/**
 * The in-memory tree. Directories are implicit, as in an object store: they
 * appear when a file is stored below them and vanish with their last file.
 * Every method is synchronous, so each driver call is atomic.
 */
export class Tree {
  readonly #root: DirectoryNode = { kind: 'directory', children: new Map(), modTime: new Date() };

  find(path: string): TreeNode | undefined {
    let node: TreeNode = this.#root;
    for (const name of components(path)) {
      if (node.kind !== 'directory') return undefined;
      const child = node.children.get(name);
      if (child === undefined) return undefined;
      node = child;
    }
    return node;
  }

  findFile(path: string): FileNode {
    const node = this.find(path);
    if (node?.kind !== 'file') throw new PathNotFoundError(path);
    return node;
  }

  findDirectory(path: string): DirectoryNode {
    const node = this.find(path);
    if (node?.kind !== 'directory') throw new PathNotFoundError(path);
    return node;
  }

  /** Puts `node` at `path`, replacing what is there and creating parent directories. */
  attach(path: string, node: TreeNode): void {
    const names = components(path);
    const last = names.pop();
    if (last === undefined) throw new StorageDriverError('cannot replace the root', { path });
    let directory = this.#root;
    const now = new Date();
    for (const name of names) {
      let child = directory.children.get(name);
      if (child === undefined) {
        child = { kind: 'directory', children: new Map(), modTime: now };
        directory.children.set(name, child);
        directory.modTime = now;
      }
      if (child.kind !== 'directory') {
        throw new StorageDriverError(`a file is in the way: ${path}`, { path });
      }
      directory = child;
    }
    if (directory.children.get(last)?.kind === 'directory' && node.kind === 'file') {
      // A filesystem refuses this too; silently dropping a whole directory would lose data.
      throw new StorageDriverError(`a directory is in the way: ${path}`, { path });
    }
    directory.children.set(last, node);
    directory.modTime = now;
  }

  /** Removes the node at `path` and every directory left empty above it. */
  detach(path: string): TreeNode {
    // Each directory on the way down, with the name of the child taken from it.
    const trail: [DirectoryNode, string][] = [];
    let node: TreeNode = this.#root;
    for (const name of components(path)) {
      if (node.kind !== 'directory') throw new PathNotFoundError(path);
      const child: TreeNode | undefined = node.children.get(name);
      if (child === undefined) throw new PathNotFoundError(path);
      trail.push([node, name]);
      node = child;
    }
    const now = new Date();
    for (const [parent, name] of trail.reverse()) {
      parent.children.delete(name);
      parent.modTime = now;
      if (parent.children.size > 0) break;
    }
    return node;
  }
}
