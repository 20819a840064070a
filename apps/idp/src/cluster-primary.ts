import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '@idp/config';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { startMetricsListener } from './metrics/metrics-listener.js';
import { openServices } from './services.js';

/** Message a worker sends once it listens. */
export interface WorkerReady {
  readonly type: 'idp-worker-ready';
  readonly url: string;
}

/**
 * libuv threads for each worker, unless the operator set UV_THREADPOOL_SIZE: the cores this process
 * may use (its CPU affinity) shared out among the workers, at least 2, so that one 25 ms argon2
 * hash never holds up every signature of a worker. Node's default of 4 per process means 8 threads
 * and 2 event loops contending for 2 cores with 2 workers: there each token cost 5-20 % more CPU
 * than on one process, and 2 threads each made the two-core figure 1.82-1.85x one core's instead
 * of 1.67x for client_credentials (README, Performance).
 */
export function workerThreadpoolSize(
  config: Pick<Config, 'workers' | 'threadpoolSize'>,
  cores = availableParallelism(),
): number {
  return config.threadpoolSize ?? Math.max(2, Math.ceil(cores / config.workers));
}

/**
 * IDP_WORKERS > 1: this process migrates the database and makes sure a key signs (once, before
 * any worker starts, so workers never race on it), then forks the workers, which share the port
 * (node:cluster). A worker that dies is replaced; SIGTERM is passed on and the primary exits when
 * every worker has drained. With IDP_METRICS_PORT set, this process serves the metrics: at each
 * scrape it asks every worker for its own over IPC (prom-client's AggregatorRegistry) and answers
 * with their aggregate, so one port covers the cluster and Prometheus needs no per-worker target.
 */
export async function runClusterPrimary(config: Config, logger: Logger): Promise<void> {
  const services = await openServices(config, { logger });
  try {
    for (const created of await services.signingKeys.ensureActiveKeys('bootstrap')) {
      logger.info({ kid: created.kid, alg: created.alg }, 'created a signing key');
    }
  } finally {
    await services.close();
  }

  if (config.metricsPort !== undefined) {
    const aggregator = new AggregatorRegistry();
    await startMetricsListener({
      host: config.host,
      port: config.metricsPort,
      scrape: async () => ({
        contentType: aggregator.contentType,
        body: await aggregator.clusterMetrics(),
      }),
    });
    logger.info(
      { port: config.metricsPort, host: config.host },
      'serving metrics at /metrics, aggregated over the workers',
    );
  }

  let stopping = false;
  const ready = new Set<Worker>();
  const threadpoolSize = workerThreadpoolSize(config);
  const fork = () => {
    // Read by libuv when the worker starts, so it can only be given through the environment.
    const worker = cluster.fork({ UV_THREADPOOL_SIZE: String(threadpoolSize) });
    worker.on('message', (message: WorkerReady) => {
      if (message?.type !== 'idp-worker-ready') return;
      ready.add(worker);
      if (ready.size === config.workers) {
        logger.info(
          { issuer: config.issuer, url: message.url, workers: config.workers, threadpoolSize },
          'identity provider ready',
        );
      }
    });
    worker.on('exit', (code, signal) => {
      ready.delete(worker);
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'worker died; starting another');
      fork();
    });
  };
  for (let i = 0; i < config.workers; i += 1) fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining workers');
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined,
    );
    let failed = false;
    let remaining = workers.length;
    if (remaining === 0) process.exit(0);
    for (const worker of workers) {
      worker.once('exit', (code) => {
        failed ||= code !== 0;
        remaining -= 1;
        if (remaining === 0) {
          logger.info('stopped');
          process.exit(failed ? 1 : 0);
        }
      });
      worker.process.kill('SIGTERM');
    }
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
