import type { Config } from '@idp/config';
import type { Clock } from '@idp/keys';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { createLogger } from './logger.js';
import { scheduleKeyRotation } from './rotation-scheduler.js';
import { scheduleCleanup } from './cleanup-scheduler.js';
import { CLIENT_CHANGE_CHECK_INTERVAL_MS } from './client-cache.js';
import { BackgroundTasks } from './periodic-task.js';
import { openServices, type Services } from './services.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly services: Services;
  /** Key refresh and rotation, client change checks, clean-up; closing the app stops them. */
  readonly tasks: BackgroundTasks;
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
  const services = await openServices(config, { logger, backgroundCheckpoints: true, ...(options.clock ? { clock: options.clock } : {}) });
  const tasks = new BackgroundTasks();
  try {
    const created = await services.signingKeys.ensureActiveKey('bootstrap');
    if (created) logger.info({ kid: created.kid }, 'created a signing key');
    await services.keyRing.refresh();
    tasks.every(
      config.keyRefreshInterval * 1000,
      () => services.keyRing.refresh(),
      (error) => logger.error({ err: error }, 'could not refresh signing keys; serving the last known set'),
    );
    tasks.every(
      CLIENT_CHANGE_CHECK_INTERVAL_MS,
      () => services.clientCache.checkForChanges(),
      (error) => logger.error({ err: error }, 'could not check for client changes; serving cached clients for up to a minute'),
    );
    scheduleKeyRotation(tasks, services, logger);
    scheduleCleanup(tasks, services, logger);
    const app = await buildApp(services, logger);
    app.addHook('onClose', async () => {
      await tasks.stop();
      await services.close();
    });
    const address = await app.listen({ port: config.port, host: config.host });
    return { app, services, tasks, url: address };
  } catch (error) {
    await tasks.stop();
    await services.close();
    throw error;
  }
}
