import { Readable } from 'node:stream';
import type { FileInfo, FileWriter, StorageBackend } from '../src/index.js';

/** A backend that records every call and answers from the hooks a test sets. */
export class RecordingBackend implements StorageBackend {
  readonly name = 'recording';
  readonly calls: string[] = [];
  listResult: string[] = [];
  failWith: unknown = undefined;
  writerFactory: () => FileWriter = () => new RecordingWriter(this.calls);

  private record(call: string): void {
    this.calls.push(call);
    // Backends may throw anything; the base driver must cope with non-Errors too.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (this.failWith !== undefined) throw this.failWith;
  }

  getContent(path: string): Promise<Buffer> {
    this.record(`getContent ${path}`);
    return Promise.resolve(Buffer.from('content'));
  }
  putContent(path: string, content: Uint8Array): Promise<void> {
    this.record(`putContent ${path} ${content.byteLength}`);
    return Promise.resolve();
  }
  reader(path: string, offset: number, length: number | undefined): Promise<Readable> {
    this.record(`reader ${path} ${offset} ${String(length)}`);
    return Promise.resolve(Readable.from([]));
  }
  writer(path: string, append: boolean): Promise<FileWriter> {
    this.record(`writer ${path} ${String(append)}`);
    return Promise.resolve(this.writerFactory());
  }
  stat(path: string): Promise<FileInfo> {
    this.record(`stat ${path}`);
    return Promise.resolve({ path, size: 0, modTime: new Date(0), isDir: true });
  }
  list(path: string): Promise<string[]> {
    this.record(`list ${path}`);
    return Promise.resolve([...this.listResult]);
  }
  move(source: string, destination: string): Promise<void> {
    this.record(`move ${source} ${destination}`);
    return Promise.resolve();
  }
  delete(path: string): Promise<void> {
    this.record(`delete ${path}`);
    return Promise.resolve();
  }
}

export class RecordingWriter implements FileWriter {
  size = 0;
  failNext: unknown = undefined;

  constructor(private readonly calls: string[]) {}

  private async step(call: string): Promise<void> {
    this.calls.push(call);
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.failNext;
    this.failNext = undefined;
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (failure !== undefined) throw failure;
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.step(`write ${chunk.byteLength}`);
    this.size += chunk.byteLength;
  }
  close(): Promise<void> {
    return this.step('close');
  }
  commit(): Promise<void> {
    return this.step('commit');
  }
  cancel(): Promise<void> {
    return this.step('cancel');
  }
}
