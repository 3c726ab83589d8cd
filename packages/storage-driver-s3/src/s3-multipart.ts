import {
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type {
  MultipartStore,
  ObjectKeys,
  PartialState,
  UploadedPart,
} from '@lading/storage-driver';
import {
  completeUpload,
  copyAsParts,
  copyWholeObject,
  createUpload,
  requireETag,
} from './s3-copy.js';
import { isNoSuchKey, isNoSuchUpload } from './s3-errors.js';
import { abortUpload } from './s3-listing.js';
import { minimumPartSize } from './s3-options.js';
import { deletePartial, readPartial, writePartial } from './s3-partial.js';
import type { S3Store } from './s3-store.js';

/** The bucket's multipart API for the shared `MultipartWriter`, in AWS SDK v3 calls. */
export class S3MultipartStore implements MultipartStore {
  readonly minimumPartSize = minimumPartSize;

  constructor(private readonly store: S3Store) {}

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
    const result = await this.store.client.send(
      new UploadPartCommand({
        Bucket: this.store.bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentLength: body.length,
      }),
    );
    return requireETag(result.ETag, partNumber);
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
      // Paged by IsTruncated, not by the SDK's paginator: Swift's s3api hands out a next
      // marker on the last page too, and the paginator would follow it for ever.
      let marker: string | undefined;
      for (;;) {
        const page = await this.store.client.send(
          new ListPartsCommand({
            Bucket: this.store.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumberMarker: marker,
          }),
        );
        for (const part of page.Parts ?? []) {
          const number = part.PartNumber ?? 0;
          parts.push({ number, etag: requireETag(part.ETag, number), size: part.Size ?? 0 });
        }
        if (page.IsTruncated !== true || page.NextPartNumberMarker === undefined) break;
        marker = page.NextPartNumberMarker;
      }
    } catch (error) {
      if (isNoSuchUpload(error)) return undefined;
      throw error;
    }
    return parts;
  }

  async putObject(key: string, body: Buffer): Promise<void> {
    await this.store.client.send(
      new PutObjectCommand({
        Bucket: this.store.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ...this.store.newObject,
      }),
    );
  }

  async headObject(key: string): Promise<number | undefined> {
    try {
      const head = await this.store.client.send(
        new HeadObjectCommand({ Bucket: this.store.bucket, Key: key }),
      );
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async readObject(key: string): Promise<Buffer> {
    const object = await this.store.client.send(
      new GetObjectCommand({ Bucket: this.store.bucket, Key: key }),
    );
    return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
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
