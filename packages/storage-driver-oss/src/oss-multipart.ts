import type OSS from 'ali-oss';
import type {
  MultipartStore,
  ObjectKeys,
  PartialState,
  UploadedPart,
} from '@lading/storage-driver';
import { completeUpload, copyAsParts, copyWholeObject, createUpload } from './oss-copy.js';
import { isNoSuchKey, isNoSuchUpload } from './oss-errors.js';
import { abortUpload } from './oss-listing.js';
import { minimumPartSize } from './oss-options.js';
import { deletePartial, readPartial, writePartial } from './oss-partial.js';
import type { OssStore } from './oss-store.js';

/** The bucket's multipart API for the shared `MultipartWriter`, in ali-oss calls (retried). */
export class OssMultipartStore implements MultipartStore {
  readonly minimumPartSize = minimumPartSize;

  constructor(private readonly store: OssStore) {}

  get keys(): ObjectKeys {
    return this.store.keys;
  }

  get partSize(): number {
    return this.store.chunkSize;
  }

  get copyThresholdSize(): number {
    return this.store.copyThresholdSize;
  }

  createUpload(key: string): Promise<string> {
    return createUpload(this.store, key);
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: Buffer,
  ): Promise<string> {
    const result = await this.store.call((client) =>
      client.uploadPart(key, uploadId, partNumber, body, 0, body.length),
    );
    return result.etag;
  }

  completeUpload(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void> {
    return completeUpload(this.store, key, uploadId, parts);
  }

  abortUpload(key: string, uploadId: string): Promise<void> {
    return abortUpload(this.store, key, uploadId);
  }

  async listParts(key: string, uploadId: string): Promise<UploadedPart[] | undefined> {
    const parts: UploadedPart[] = [];
    try {
      let marker: number | undefined;
      for (;;) {
        const query = {
          'max-parts': 1000,
          ...(marker === undefined ? {} : { 'part-number-marker': marker }),
        };
        const page = await this.store.call((client) =>
          client.listParts(key, uploadId, query as OSS.ListPartsQuery),
        );
        parts.push(...listedParts(page.parts));
        // ali-oss passes the XML's strings through: "true", and one part as an object.
        if (String(page.isTruncated) !== 'true' || !page.nextPartNumberMarker) break;
        marker = Number(String(page.nextPartNumberMarker));
      }
    } catch (error) {
      if (isNoSuchUpload(error)) return undefined;
      throw error;
    }
    return parts;
  }

  async putObject(key: string, body: Buffer): Promise<void> {
    await this.store.call((client) =>
      client.put(key, body, { headers: { ...this.store.newObjectHeaders } }),
    );
  }

  async headObject(key: string): Promise<number | undefined> {
    try {
      const head = await this.store.call((client) => client.head(key));
      return Number((head.res.headers as Record<string, string>)['content-length'] ?? '0');
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async readObject(key: string): Promise<Buffer> {
    const object = await this.store.call((client) => client.get(key));
    return Buffer.from(object.content as Uint8Array);
  }

  copyObject(key: string, sourceKey: string): Promise<void> {
    return copyWholeObject(this.store, sourceKey, key);
  }

  copyIntoParts(
    key: string,
    uploadId: string,
    sourceKey: string,
    size: number,
  ): Promise<UploadedPart[]> {
    return copyAsParts(this.store, key, uploadId, sourceKey, size);
  }

  readPartial(partialKey: string, withTail: boolean): Promise<PartialState | undefined> {
    return readPartial(this.store, partialKey, withTail);
  }

  writePartial(partialKey: string, state: PartialState): Promise<void> {
    return writePartial(this.store, partialKey, state);
  }

  deletePartial(partialKey: string): Promise<void> {
    return deletePartial(this.store, partialKey);
  }
}

/** ListParts' parts as ali-oss hands them over (XML fields, strings, maybe not a list). */
function listedParts(listed: unknown): UploadedPart[] {
  const entries: unknown[] = Array.isArray(listed) ? listed : [listed];
  return entries.filter(isRecord).map((entry) => ({
    number: Number(entry.PartNumber),
    etag: String(entry.ETag),
    size: Number(entry.Size),
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
