import type { ModelContext } from './context.js';
import { InvalidInputError } from './errors.js';

/** The site-wide switches an administrator sets. */
export interface SiteSettings {
  /** The container registry for the whole site; off, nobody gets any registry access. Images stay. */
  readonly registryEnabled: boolean;
  /** `container_registry_enabled` of new projects when their creator does not say. */
  readonly containerRegistryDefault: boolean;
  /** How long registry tokens last, in seconds (GitLab: `container_registry_token_expire_delay`). */
  readonly tokenLifetimeSeconds: number;
  /**
   * Whether a new (or renamed) group or project may have a path the registry
   * cannot name. When allowed, such a project's registry stays disabled, saying why.
   */
  readonly allowUnnamablePaths: boolean;
}

export const defaultSettings: SiteSettings = {
  registryEnabled: true,
  containerRegistryDefault: true,
  tokenLifetimeSeconds: 300,
  allowUnnamablePaths: false,
};

/** A day: a registry token is a bearer secret; longer lifetimes only widen what a leak gives. */
export const maxTokenLifetimeSeconds = 24 * 60 * 60;

const settingNames = Object.keys(defaultSettings) as (keyof SiteSettings)[];

/** Site settings, one row each (a setting never written has its default). */
export class Settings {
  constructor(private readonly context: ModelContext) {}

  async get(): Promise<SiteSettings> {
    const rows = await this.context.db.selectFrom('settings').selectAll().execute();
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.name] = parseStored(row.value);
    return { ...defaultSettings, ...pickValid(stored) };
  }

  /** Changes some settings; refuses unknown names and wrong types, naming the setting. */
  async update(changes: Readonly<Record<string, unknown>>): Promise<SiteSettings> {
    for (const [name, value] of Object.entries(changes)) checkSetting(name, value);
    await this.context.db.transaction().execute(async (transaction) => {
      for (const [name, value] of Object.entries(changes)) {
        await transaction
          .insertInto('settings')
          .values({ name, value: JSON.stringify(value) })
          .onConflict((conflict) =>
            conflict.column('name').doUpdateSet({ value: JSON.stringify(value) }),
          )
          .execute();
      }
    });
    return this.get();
  }
}

function checkSetting(name: string, value: unknown): void {
  if (!(settingNames as string[]).includes(name)) {
    throw new InvalidInputError(name, `is not a setting; settings are ${settingNames.join(', ')}`);
  }
  if (name === 'tokenLifetimeSeconds') {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 60 ||
      value > maxTokenLifetimeSeconds
    ) {
      throw new InvalidInputError(
        name,
        `must be a whole number of seconds from 60 to ${maxTokenLifetimeSeconds}`,
      );
    }
    return;
  }
  if (typeof value !== 'boolean') throw new InvalidInputError(name, 'must be true or false');
}

/** A stored value, or `undefined` (so the default applies) when it is not JSON at all. */
function parseStored(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Stored values that still fit (a downgrade could leave one a newer version wrote). */
function pickValid(stored: Record<string, unknown>): Partial<SiteSettings> {
  const valid: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    try {
      checkSetting(name, value);
      valid[name] = value;
    } catch {
      // Ignored: the default applies.
    }
  }
  return valid;
}
