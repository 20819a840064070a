#!/usr/bin/env node
import cluster from 'node:cluster';
import { ConfigError, loadConfig, unknownVariableWarnings, type Config } from '@idp/config';
import { runClusterPrimary, type WorkerReady } from './cluster-primary.js';
import { createLogger } from './logger.js';
import { describeStartupError } from './startup-error.js';
import { startServer } from './server.js';
import { retainTickObjectShape } from './tick-object-shape.js';

// Files this process creates (the SQLite database, its journal, the key-encryption key) hold
// secrets or their hashes: readable by the owner only.
process.umask(0o077);

/** Process entry: configuration, start, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  // Before the first request and the first garbage collections: see tick-object-shape.ts.
  await retainTickObjectShape();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    for (const warning of unknownVariableWarnings()) process.stderr.write(`warning: ${warning}\n`);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  // Once per server: cluster workers inherit the same environment.
  if (cluster.isPrimary) for (const warning of unknownVariableWarnings()) logger.warn(warning);
  if (config.workers > 1 && cluster.isPrimary) {
    try {
      await runClusterPrimary(config, logger);
    } catch (error) {
      logger.fatal({ err: error }, `could not start: ${describeStartupError(error)}`);
      process.exit(1);
    }
    return;
  }
  let server;
  try {
    server = await startServer(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, `could not start: ${describeStartupError(error)}`);
    process.exit(1);
  }
  if (cluster.isWorker) {
    process.send?.({ type: 'idp-worker-ready', url: server.url } satisfies WorkerReady);
  } else {
    logger.info({ issuer: config.issuer, url: server.url }, 'identity provider ready');
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: draining in-flight requests');
    const deadline = setTimeout(() => {
      logger.error(
        { timeoutSeconds: config.shutdownTimeout },
        'requests still running at the shutdown deadline; exiting',
      );
      process.exit(1);
    }, config.shutdownTimeout * 1000);
    deadline.unref();
    server.app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
