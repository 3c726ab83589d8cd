/** A content descriptor (OCI image-spec `descriptor.md`). */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly artifactType?: string;
  readonly platform?: Platform;
  readonly data?: string;
}

export interface Platform {
  readonly architecture: string;
  readonly os: string;
  readonly 'os.version'?: string;
  readonly 'os.features'?: readonly string[];
  readonly variant?: string;
  readonly features?: readonly string[];
}

/** An OCI image manifest or a Docker v2 schema 2 manifest (artifacts included). */
export interface ImageManifest {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** An OCI image index or a Docker manifest list. */
export interface ImageIndex {
  readonly schemaVersion: 2;
  readonly mediaType?: string;
  readonly artifactType?: string;
  readonly manifests: readonly Descriptor[];
  readonly subject?: Descriptor;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Docker image manifest, version 2 schema 1 (legacy, signed). */
export interface Schema1Manifest {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly tag: string;
  readonly architecture: string;
  readonly fsLayers: readonly { readonly blobSum: string }[];
  readonly history: readonly { readonly v1Compatibility: string }[];
}

/** A manifest as parsed and validated, with its effective media type. */
export type ParsedManifest =
  | { readonly kind: 'image'; readonly mediaType: string; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly mediaType: string; readonly manifest: ImageIndex }
  | {
      readonly kind: 'schema1';
      readonly mediaType: string;
      readonly manifest: Schema1Manifest;
      /** The signed payload, which the signatures cover. */
      readonly payload: Buffer;
    };
