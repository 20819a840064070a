import type { Config } from '@idp/config';
import type { Clock } from '@idp/keys';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { createLogger } from './logger.js';
import { startRotationScheduler } from './rotation-scheduler.js';
import { startCleanupScheduler } from './cleanup-scheduler.js';
import { CLIENT_CHANGE_CHECK_INTERVAL_MS } from './client-cache.js';
import { openServices, type Services } from './services.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  /** The base URL it listens on, e.g. http://127.0.0.1:3000. */
  readonly url: string;
}

/**
 * Starts one server instance: migrate, make sure a key signs, load the key ring, listen.
 * Closing the returned app stops the timers and closes the database after in-flight requests.
 */
export async function startServer(
  config: Config,
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const services = await openServices(config, { logger, ...(options.clock ? { clock: options.clock } : {}) });
  try {
    for (const created of await services.signingKeys.ensureActiveKeys('bootstrap')) {
      logger.info({ kid: created.kid, alg: created.alg }, 'created a signing key');
    }
    await services.keyRing.refresh();
    services.keyRing.start(config.keyRefreshInterval * 1000, (error) =>
      logger.error({ err: error }, 'could not refresh signing keys; serving the last known set'),
    );
    services.clientCache.start(CLIENT_CHANGE_CHECK_INTERVAL_MS, (error) =>
      logger.error({ err: error }, 'could not check for client changes; serving cached clients for up to a minute'),
    );
    const stopScheduler = startRotationScheduler(services, logger);
    const stopCleanup = startCleanupScheduler(services, logger);
    const app = await buildApp(services, logger);
    app.addHook('onClose', async () => {
      stopScheduler();
      stopCleanup();
      services.keyRing.stop();
      await services.clientCache.stop();
      await services.close();
    });
    const address = await app.listen({ port: config.port, host: config.host });
    return { app, services, url: address };
  } catch (error) {
    services.keyRing.stop();
    await services.clientCache.stop();
    await services.close();
    throw error;
  }
}
