import type { RegistryConfig } from '@lading/config';
import type { RegistryEngine } from '@lading/registry-engine';
import type { Logger } from 'pino';

/**
 * distribution's upload purging: every `interval`, remove uploads older than
 * `age`. The first run waits a random part of the interval (at most an hour),
 * so replicas started together do not all walk the storage at once. Off in
 * read-only mode. Returns a function that stops it.
 */
export function scheduleUploadPurging(
  engine: RegistryEngine,
  config: RegistryConfig,
  logger: Logger,
): () => void {
  const settings = config.storage.maintenance.uploadpurging;
  if (!settings.enabled || config.storage.maintenance.readonly.enabled) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async (): Promise<void> => {
    try {
      const purged = await engine.purgeUploads({
        olderThan: new Date(Date.now() - settings.age),
        dryRun: settings.dryrun,
      });
      logger.info({ purged: purged.length, dryRun: settings.dryrun }, 'upload purging done');
    } catch (error) {
      logger.error({ err: error }, 'upload purging failed');
    }
    if (!stopped) schedule(settings.interval);
  };
  const schedule = (delay: number): void => {
    timer = setTimeout(() => void run(), delay);
    timer.unref();
  };
  schedule(Math.floor(Math.random() * Math.min(settings.interval, 3_600_000)));
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
