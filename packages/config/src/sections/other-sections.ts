import type { Fields } from '../fields.js';
import type {
  AuthConfig,
  CompatibilityConfig,
  LadingConfig,
  LadingNotificationsConfig,
  ProjectsConfig,
  RegistryConfig,
  TokenServiceConfig,
} from '../registry-config.js';
import { withoutUndefined } from '../tree.js';

export const defaultSpoolDirectory = './lading-notifications';
export const defaultMaxSpoolBytes = 256 * 1024 * 1024;

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

/** `lading`: Lading's own settings; checkKeys refuses any key it does not know. */
export function readLading(root: Fields, auth: AuthConfig): LadingConfig {
  const lading = root.child('lading');
  const projects = lading.has('projects') ? readProjects(lading.child('projects')) : undefined;
  const tokenservice = lading.has('tokenservice')
    ? readTokenService(lading.child('tokenservice'), auth, projects !== undefined)
    : undefined;
  const notifications = lading.has('notifications')
    ? readSpool(lading.child('notifications'))
    : undefined;
  return withoutUndefined({ tokenservice, projects, notifications });
}

/** `lading.notifications`; the app applies the same defaults when the section is absent. */
function readSpool(spool: Fields): LadingNotificationsConfig {
  return {
    spooldirectory: spool.string('spooldirectory', defaultSpoolDirectory),
    maxspoolbytes: spool.integer('maxspoolbytes', defaultMaxSpoolBytes, 1024 * 1024),
  };
}

function readTokenService(
  service: Fields,
  auth: AuthConfig,
  withProjects: boolean,
): TokenServiceConfig {
  const services = service.strings('services');
  const fallback = auth.kind === 'token' ? [auth.service] : [];
  const audiences = services.length > 0 ? services : fallback;
  if (audiences.length === 0) {
    throw service.invalid(
      'services',
      'the audiences tokens are issued for (or auth.token.service)',
    );
  }
  const path = service.string('path', '/jwt/auth');
  if (!path.startsWith('/')) throw service.invalid('path', 'a path starting with "/"');
  const users = withProjects ? service.optionalString('users') : service.requiredString('users');
  if (withProjects && users !== undefined) {
    throw service.invalid(
      'users',
      'nothing: lading.projects decides who gets tokens; a users file would be a second policy',
    );
  }
  return withoutUndefined({
    path,
    issuer: service.requiredString('issuer'),
    services: audiences,
    key: service.requiredString('key'),
    certificate: service.optionalString('certificate'),
    lifetime: service.duration('lifetime', 5 * 60 * 1000),
    refreshlifetime: service.duration('refreshlifetime', 30 * 24 * 3600 * 1000),
    users,
  });
}

function readProjects(projects: Fields): ProjectsConfig {
  const database = projects.child('database');
  const sqlite = database.optionalString('sqlite');
  const postgres = database.optionalString('postgres');
  if ((sqlite === undefined) === (postgres === undefined)) {
    throw projects.invalid('database', 'exactly one of sqlite (a file) or postgres (a URL)');
  }
  if (postgres !== undefined && !/^postgres(ql)?:\/\//.test(postgres)) {
    throw database.invalid('postgres', 'a URL like postgres://user:password@host:5432/database');
  }
  const apipath = projects.string('apipath', '/api/v1');
  if (!/^\/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]$/.test(apipath)) {
    throw projects.invalid('apipath', 'a path starting with "/", such as /api/v1');
  }
  const bcryptcost = projects.integer('bcryptcost', 12, 4);
  if (bcryptcost > 15) throw projects.invalid('bcryptcost', 'a whole number from 4 to 15');
  return {
    database:
      postgres === undefined
        ? { sqlite: sqlite ?? '' }
        : { postgres, maxconnections: database.integer('maxconnections', 10, 1) },
    apipath,
    bcryptcost,
  };
}
