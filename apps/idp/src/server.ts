import cluster from 'node:cluster';
import type { Config } from '@idp/config';
import { DatabaseUnavailable } from '@idp/db';
import type { Clock } from '@idp/keys';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { idTokenAlgProblem, withSecurityProfile } from '@idp/oidc';
import { buildApp } from './app.js';
import { ensureConsoleClient } from './routes/console/console-client.js';
import { idTokenAlgorithms } from './id-token-algorithms.js';
import { createLogger } from './logger.js';
import { scheduleKeyRotation } from './rotation-scheduler.js';
import { scheduleCleanup } from './cleanup-scheduler.js';
import { CLIENT_CHANGE_CHECK_INTERVAL_MS } from './client-cache.js';
import { BackgroundTasks } from './periodic-task.js';
import { startMetricsListener } from './metrics/metrics-listener.js';
import { createMetrics, NO_METRICS } from './metrics/metrics.js';
import { startTracing } from './tracing/tracing.js';
import { openServices, signingKeyPolicy, type Services } from './services.js';

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
 * With IDP_METRICS_PORT set, metrics are collected and served on that port, by this process or,
 * in a cluster worker, by the primary (cluster-primary.ts), which collects them from each worker.
 */
export async function startServer(
  config: Config,
  options: { clock?: Clock; logger?: Logger } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // First, so that a cluster worker answers the primary's scrapes as early as it can.
  const metrics = config.metricsPort === undefined ? NO_METRICS : createMetrics();
  const tracing =
    config.otlpTracesUrl === undefined ? undefined : startTracing(config.otlpTracesUrl);
  const services = await openServices(config, {
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const tasks = new BackgroundTasks();
  let metricsListener: FastifyInstance | undefined;
  const backgroundError = (error: unknown) => {
    if (error instanceof DatabaseUnavailable) metrics.databaseUnavailable('background');
  };
  try {
    for (const created of await services.signingKeys.ensureActiveKeys('bootstrap')) {
      logger.info({ kid: created.kid, alg: created.alg }, 'created a signing key');
    }
    await services.keyRing.refresh();
    await ensureConsoleClient(services, logger);
    await warnAboutUnsignableClients(services, logger);
    tasks.every(
      config.keyRefreshInterval * 1000,
      () => services.keyRing.refresh(),
      (error) => {
        backgroundError(error);
        logger.error({ err: error }, 'could not refresh signing keys; serving the last known set');
      },
    );
    tasks.every(
      CLIENT_CHANGE_CHECK_INTERVAL_MS,
      () => services.clientCache.checkForChanges(),
      (error) => {
        backgroundError(error);
        logger.error(
          { err: error },
          'could not check for client changes; serving cached clients for up to a minute',
        );
      },
    );
    metrics.watchSigningKeys({
      keys: () => services.keyRing.keys(),
      clock: services.clock,
      policy: signingKeyPolicy(config),
    });
    scheduleKeyRotation(tasks, services, logger);
    scheduleCleanup(tasks, services, logger);
    const app = await buildApp(services, logger, {
      metrics,
      ...(tracing ? { tracer: tracing.tracer } : {}),
    });
    if (metrics.enabled && config.metricsPort !== undefined && !cluster.isWorker) {
      metricsListener = await startMetricsListener({
        host: config.host,
        port: config.metricsPort,
        scrape: () => metrics.scrape(),
      });
      const listener = metricsListener;
      logger.info({ port: config.metricsPort, host: config.host }, 'serving metrics at /metrics');
      app.addHook('onClose', () => listener.close());
    }
    app.addHook('onClose', async () => {
      // Mail still going out after its page was answered needs the database and the mailer.
      await app.outbox.drain();
      await tasks.stop();
      await services.close();
      // Sends the spans still batched.
      await tracing?.shutdown();
    });
    const address = await app.listen({ port: config.port, host: config.host });
    return { app, services, tasks, url: address };
  } catch (error) {
    await metricsListener?.close();
    await tracing?.shutdown();
    await tasks.stop();
    await services.close();
    throw error;
  }
}

/**
 * Names each client whose ID tokens or UserInfo responses this configuration cannot sign (its
 * id_token_signed_response_alg or userinfo_signed_response_alg left IDP_SIGNING_ALGORITHMS after
 * it registered, or the former is RS256 under the FAPI 2.0 profile): its requests are refused
 * with unauthorized_client until the operator updates the client or the setting. A warning, not
 * a refusal to start: the other clients work.
 */
async function warnAboutUnsignableClients(services: Services, logger: Logger): Promise<void> {
  const signable = idTokenAlgorithms(services);
  for (const stored of await services.clients.list()) {
    const client = withSecurityProfile(stored, services.config.securityProfile);
    const problem = idTokenAlgProblem(client, signable);
    if (problem)
      logger.warn(
        {
          clientId: client.clientId,
          field: 'id_token_signed_response_alg',
          alg: client.idTokenSignedResponseAlg,
          signingAlgorithms: signable,
        },
        `client ${client.clientId}: ${problem.description}; its OpenID requests are refused until its id_token_signed_response_alg or IDP_SIGNING_ALGORITHMS changes`,
      );
    const userinfoAlg = client.userinfoSignedResponseAlg;
    if (userinfoAlg && !signable.includes(userinfoAlg))
      logger.warn(
        {
          clientId: client.clientId,
          field: 'userinfo_signed_response_alg',
          alg: userinfoAlg,
          signingAlgorithms: signable,
        },
        `client ${client.clientId}: this server does not sign with ${userinfoAlg}, its userinfo_signed_response_alg; its UserInfo requests are refused until that or IDP_SIGNING_ALGORITHMS changes`,
      );
  }
}
