import type {
  FileInfo,
  FileWriter,
  RedirectMethod,
  StorageDriver,
  WalkVisitor,
} from '@lading/storage-driver';
import type { Readable } from 'node:stream';

/** Forwards every call to a working driver; a mutant overrides the method it breaks. */
export class DelegatingDriver implements StorageDriver {
  constructor(protected readonly inner: StorageDriver) {}

  get name(): string {
    return this.inner.name;
  }
  getContent(path: string): Promise<Buffer> {
    return this.inner.getContent(path);
  }
  putContent(path: string, content: Uint8Array): Promise<void> {
    return this.inner.putContent(path, content);
  }
  reader(path: string, offset?: number, length?: number): Promise<Readable> {
    return this.inner.reader(path, offset, length);
  }
  writer(path: string, append?: boolean): Promise<FileWriter> {
    return this.inner.writer(path, append);
  }
  stat(path: string): Promise<FileInfo> {
    return this.inner.stat(path);
  }
  list(path: string): Promise<string[]> {
    return this.inner.list(path);
  }
  move(source: string, destination: string): Promise<void> {
    return this.inner.move(source, destination);
  }
  delete(path: string): Promise<void> {
    return this.inner.delete(path);
  }
  redirectURL(method: RedirectMethod, path: string): Promise<string | undefined> {
    return this.inner.redirectURL(method, path);
  }
  walk(path: string, visitor: WalkVisitor): Promise<void> {
    return this.inner.walk(path, visitor);
  }
}

/** Forwards every call to a working writer; a mutant overrides what it breaks. */
export class DelegatingWriter implements FileWriter {
  constructor(protected readonly inner: FileWriter) {}

  get size(): number {
    return this.inner.size;
  }
  write(chunk: Uint8Array): Promise<void> {
    return this.inner.write(chunk);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  commit(): Promise<void> {
    return this.inner.commit();
  }
  cancel(): Promise<void> {
    return this.inner.cancel();
  }
}
