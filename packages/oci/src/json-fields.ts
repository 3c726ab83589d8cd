import { parseDigest } from './digest.js';
import { ManifestInvalidError, isOciError } from './errors.js';
import type { Descriptor, Platform } from './manifest-types.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads typed fields of a JSON object, naming the field's path in every
 * error (`layers[2].digest`), so a client learns exactly what to fix.
 */
export class Fields {
  constructor(
    private readonly object: JsonObject,
    private readonly path = '',
  ) {}

  static of(value: unknown, path: string): Fields {
    if (!isObject(value))
      throw new ManifestInvalidError('must be a JSON object', path || undefined);
    return new Fields(value, path);
  }

  /** The object at `key`, to read its own fields. */
  child(key: string): Fields {
    return Fields.of(this.object[key], this.at(key));
  }

  /** The objects of the array at `key`, each to read its own fields. */
  elements(key: string): Fields[] {
    return this.array(key).map((item, index) =>
      Fields.of(item, `${this.at(key)}[${String(index)}]`),
    );
  }

  has(key: string): boolean {
    return this.object[key] !== undefined;
  }

  at(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  string(key: string): string {
    const value = this.object[key];
    if (typeof value !== 'string') throw new ManifestInvalidError('must be a string', this.at(key));
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  integer(key: string): number {
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new ManifestInvalidError('must be a whole number ≥ 0', this.at(key));
    }
    return value;
  }

  array(key: string): readonly unknown[] {
    const value = this.object[key];
    if (!Array.isArray(value)) throw new ManifestInvalidError('must be an array', this.at(key));
    return value;
  }

  optionalStrings(key: string): readonly string[] | undefined {
    if (!this.has(key)) return undefined;
    return this.array(key).map((item, index) => {
      if (typeof item !== 'string')
        throw new ManifestInvalidError('must be a string', `${this.at(key)}[${String(index)}]`);
      return item;
    });
  }

  optionalStringMap(key: string): Readonly<Record<string, string>> | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (!isObject(value))
      throw new ManifestInvalidError('must be an object of strings', this.at(key));
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== 'string')
        throw new ManifestInvalidError('must be a string', `${this.at(key)}.${name}`);
    }
    return value as Readonly<Record<string, string>>;
  }

  digest(key: string): string {
    const value = this.string(key);
    try {
      return parseDigest(value).digest;
    } catch (error) {
      if (isOciError(error)) throw new ManifestInvalidError(error.message, this.at(key));
      throw error;
    }
  }

  descriptor(key: string): Descriptor {
    return readDescriptor(this.object[key], this.at(key));
  }

  optionalDescriptor(key: string): Descriptor | undefined {
    return this.has(key) ? this.descriptor(key) : undefined;
  }

  descriptors(key: string): Descriptor[] {
    return this.array(key).map((item, index) =>
      readDescriptor(item, `${this.at(key)}[${String(index)}]`),
    );
  }
}

const mediaTypePattern =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export function readMediaType(fields: Fields, key: string): string {
  const mediaType = fields.string(key);
  if (!mediaTypePattern.test(mediaType)) {
    throw new ManifestInvalidError(
      `${JSON.stringify(mediaType)} is not a media type`,
      fields.at(key),
    );
  }
  return mediaType;
}

function readDescriptor(value: unknown, path: string): Descriptor {
  const fields = Fields.of(value, path);
  const descriptor: Descriptor = {
    mediaType: readMediaType(fields, 'mediaType'),
    digest: fields.digest('digest'),
    size: fields.integer('size'),
    urls: fields.optionalStrings('urls'),
    annotations: fields.optionalStringMap('annotations'),
    artifactType: fields.has('artifactType') ? readMediaType(fields, 'artifactType') : undefined,
    platform: fields.has('platform') ? readPlatform(fields.child('platform')) : undefined,
    data: fields.optionalString('data'),
  };
  return withoutUndefined(descriptor);
}

function readPlatform(fields: Fields): Platform {
  return withoutUndefined({
    architecture: fields.string('architecture'),
    os: fields.string('os'),
    'os.version': fields.optionalString('os.version'),
    'os.features': fields.optionalStrings('os.features'),
    variant: fields.optionalString('variant'),
    features: fields.optionalStrings('features'),
  });
}

/** Drops absent optional fields, so parsed values compare and serialize cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
