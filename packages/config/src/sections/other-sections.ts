import type { Fields } from '../fields.js';
import type { CompatibilityConfig, LadingConfig, RegistryConfig } from '../registry-config.js';
import { withoutUndefined } from '../tree.js';

/** `version`: distribution's only configuration version. Written `0.1`, YAML reads a number. */
export function readVersion(root: Fields): '0.1' {
  const version = root.optionalString('version');
  if (version !== '0.1') throw root.invalid('version', '0.1');
  return version;
}

/** `compatibility.schema1` (distribution v2.8): pushing Docker schema 1 manifests. */
export function readCompatibility(root: Fields): CompatibilityConfig {
  const schema1 = root.child('compatibility').child('schema1');
  return {
    schema1: withoutUndefined({
      enabled: schema1.boolean('enabled', false),
      signingkeyfile: schema1.optionalString('signingkeyfile'),
    }),
  };
}

/** `catalog.maxentries` and `tags.maxtags`: page size limits; 0 is the default, 1000. */
export function readLimits(root: Fields): Pick<RegistryConfig, 'catalog' | 'tags'> {
  return {
    catalog: { maxentries: root.child('catalog').integerOrDefault('maxentries', 1000) },
    tags: { maxtags: root.child('tags').integerOrDefault('maxtags', 1000) },
  };
}

/** `redis`, kept as given: whoever connects reads it (v2.8 and v3 keys differ). */
export function readRedis(root: Fields): Readonly<Record<string, unknown>> | undefined {
  return root.has('redis') ? root.mapping('redis') : undefined;
}

/** `lading`: reserved for Lading's own settings; checkKeys refuses any key in it. */
export function readLading(root: Fields): LadingConfig {
  root.child('lading');
  return {};
}
