import { GarbageCollector } from '@idp/db';
import type { Logger } from 'pino';
import type { Services } from './services.js';

/**
 * The periodic clean-up (IDP_CLEANUP_INTERVAL). Each run deletes in bounded batches and yields
 * between them, so it never holds the database or the event loop for long. Every instance may
 * run it; deleting what another instance already deleted is harmless.
 */
export function startCleanupScheduler(services: Services, logger: Logger): () => void {
  const { config } = services;
  if (config.cleanupInterval <= 0) return () => {};
  const collector = new GarbageCollector(services.database);
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    collector
      .collect(services.clock.now(), config.cleanupRetention * 1000)
      .then((result) => logger.info({ deleted: result }, 'clean-up finished'))
      .catch((error: unknown) => logger.error({ err: error }, 'clean-up failed'))
      .finally(() => {
        running = false;
      });
  }, config.cleanupInterval * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
