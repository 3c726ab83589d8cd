import { StorageDriverError, UnknownStorageDriverError, isStorageError } from './errors.js';
import type { StorageDriver } from './storage-driver.js';

/** The `parameters` block of a driver in config.yml, before validation. */
export type DriverParametersInput = Readonly<Record<string, unknown>>;

/** Builds a driver from its config parameters; throws `InvalidDriverParameterError` on bad input. */
export type StorageDriverFactory = (
  parameters: DriverParametersInput,
) => StorageDriver | Promise<StorageDriver>;

const driverNamePattern = /^[a-z0-9][a-z0-9_.-]*$/;

/**
 * Maps driver names (`filesystem`, `s3`, a plugin's own) to factories, so a
 * backend is chosen by name from config. The app builds one explicitly;
 * nothing registers itself on import.
 */
export class StorageDriverRegistry {
  readonly #factories = new Map<string, StorageDriverFactory>();

  /** Adds `factory` under `name`; throws if the name is taken or malformed. */
  register(name: string, factory: StorageDriverFactory): this {
    if (!driverNamePattern.test(name)) {
      throw new StorageDriverError(
        `storage driver name ${JSON.stringify(name)} must match ${String(driverNamePattern)}`,
      );
    }
    if (this.#factories.has(name)) {
      throw new StorageDriverError(`storage driver "${name}" is already registered`);
    }
    this.#factories.set(name, factory);
    return this;
  }

  has(name: string): boolean {
    return this.#factories.has(name);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.#factories.keys()].sort();
  }

  /**
   * Builds the driver `name` from `parameters`. Throws `UnknownStorageDriverError`
   * for an unregistered name; parameter errors carry the driver name.
   */
  async create(name: string, parameters: DriverParametersInput = {}): Promise<StorageDriver> {
    const factory = this.#factories.get(name);
    if (factory === undefined) throw new UnknownStorageDriverError(name, this.names());
    try {
      return await factory(parameters);
    } catch (error) {
      if (isStorageError(error, 'INVALID_PARAMETER')) throw error.stampDriverName(name);
      throw error;
    }
  }
}

const defaultRegistry = new StorageDriverRegistry();

/** Registers a driver factory in the process-wide default registry. */
export function registerStorageDriver(name: string, factory: StorageDriverFactory): void {
  defaultRegistry.register(name, factory);
}

/** Builds a driver from the process-wide default registry. */
export function createStorageDriver(
  name: string,
  parameters: DriverParametersInput = {},
): Promise<StorageDriver> {
  return defaultRegistry.create(name, parameters);
}
