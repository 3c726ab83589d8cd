import type { StorageDriver } from '@lading/storage-driver';
import { isStorageError } from '@lading/storage-driver';
import type { Logger } from 'pino';

export interface HealthSettings {
  readonly enabled: boolean;
  /** Between checks, ms. */
  readonly interval: number;
  /** Consecutive failures before the registry reports itself unhealthy. */
  readonly threshold: number;
}

/**
 * distribution's storage-driver health check: `stat('/')` now and then
 * (a missing root is fine: an empty store); after `threshold` failures in a
 * row the registry answers 503 until a check succeeds again.
 */
export class StorageHealth {
  #failures = 0;
  #lastError: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly driver: StorageDriver,
    private readonly settings: HealthSettings,
    private readonly logger: Logger,
  ) {}

  get healthy(): boolean {
    return !this.settings.enabled || this.#failures < this.settings.threshold;
  }

  /** `{ "storagedriver_<name>": "<error>" }` for failing checks, `{}` when healthy (distribution's body). */
  report(): Record<string, string> {
    return this.healthy
      ? {}
      : { [`storagedriver_${this.driver.name}`]: this.#lastError ?? 'failing' };
  }

  start(): void {
    if (!this.settings.enabled) return;
    void this.check();
    this.#timer = setInterval(() => void this.check(), this.settings.interval);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async check(): Promise<void> {
    try {
      await this.driver.stat('/').catch((error: unknown) => {
        if (!isStorageError(error, 'PATH_NOT_FOUND')) throw error;
      });
      if (this.#failures >= this.settings.threshold)
        this.logger.info('storage health check passes again');
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error, failures: this.#failures }, 'storage health check failed');
    }
  }
}
