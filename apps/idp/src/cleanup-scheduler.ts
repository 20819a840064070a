import { GarbageCollector } from '@idp/db';
import type { Logger } from 'pino';
import type { BackgroundTasks } from './periodic-task.js';
import type { Services } from './services.js';

/**
 * The periodic clean-up (IDP_CLEANUP_INTERVAL). Each run deletes in bounded batches and yields
 * between them, so it never holds the database or the event loop for long. Every instance may
 * run it; deleting what another instance already deleted is harmless.
 */
export function scheduleCleanup(
  tasks: BackgroundTasks,
  services: Pick<Services, 'config' | 'database' | 'clock'>,
  logger: Logger,
): void {
  const { config } = services;
  if (config.cleanupInterval <= 0) return;
  const collector = new GarbageCollector(services.database);
  const collect = async () => {
    const deleted = await collector.collect(services.clock.now(), config.cleanupRetention * 1000);
    logger.info({ deleted }, 'clean-up finished');
  };
  // Closing does not wait for a clean-up under way: each batch is a delete of its own, so one cut
  // short leaves nothing half-done (the next run carries on).
  tasks.every(
    config.cleanupInterval * 1000,
    collect,
    (error) => logger.error({ err: error }, 'clean-up failed'),
    { waitOnStop: false },
  );
}
