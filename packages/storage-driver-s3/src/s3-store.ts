import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectKeys } from '@lading/storage-driver';
import type { ObjectAcl, StorageClass } from './s3-options.js';

/** Headers every new object gets: what config.yml says about class, ACL and encryption. */
export interface NewObjectSettings {
  ContentType: string;
  StorageClass?: StorageClass;
  ACL: ObjectAcl;
  ServerSideEncryption?: 'AES256' | 'aws:kms';
  SSEKMSKeyId?: string;
}

/** What the backend, its writers and its copier share. */
export interface S3Store {
  readonly client: S3Client;
  readonly bucket: string;
  readonly keys: ObjectKeys;
  readonly newObject: NewObjectSettings;
  /** Part size of writers. */
  readonly chunkSize: number;
  readonly copyChunkSize: number;
  readonly copyThresholdSize: number;
  readonly copyConcurrency: number;
}

export function newObjectSettings(options: {
  storageClass?: StorageClass;
  objectAcl?: ObjectAcl;
  encrypt?: boolean;
  keyId?: string;
}): NewObjectSettings {
  const settings: NewObjectSettings = {
    // distribution stores every object as octet-stream; clients never see it (the registry sets its own).
    ContentType: 'application/octet-stream',
    ACL: options.objectAcl ?? 'private',
  };
  if (options.storageClass !== undefined) settings.StorageClass = options.storageClass;
  if (options.encrypt === true) {
    settings.ServerSideEncryption = options.keyId === undefined ? 'AES256' : 'aws:kms';
    if (options.keyId !== undefined) settings.SSEKMSKeyId = options.keyId;
  }
  return settings;
}
