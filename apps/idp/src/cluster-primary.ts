import cluster, { type Worker } from 'node:cluster';
import type { Config } from '@idp/config';
import type { Logger } from 'pino';
import { openServices } from './services.js';

/** Message a worker sends once it listens. */
export interface WorkerReady {
  readonly type: 'idp-worker-ready';
  readonly url: string;
}

/**
 * IDP_WORKERS > 1: this process migrates the database and makes sure a key signs (once, before
 * any worker starts, so workers never race on it), then forks the workers, which share the port
 * (node:cluster). A worker that dies is replaced; SIGTERM is passed on and the primary exits when
 * every worker has drained.
 */
export async function runClusterPrimary(config: Config, logger: Logger): Promise<void> {
  const services = await openServices(config, { logger });
  try {
    const created = await services.signingKeys.ensureActiveKey('bootstrap');
    if (created) logger.info({ kid: created.kid }, 'created a signing key');
  } finally {
    await services.close();
  }

  let stopping = false;
  const ready = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.on('message', (message: WorkerReady) => {
      if (message?.type !== 'idp-worker-ready') return;
      ready.add(worker);
      if (ready.size === config.workers) {
        logger.info({ issuer: config.issuer, url: message.url, workers: config.workers }, 'identity provider ready');
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
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
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
