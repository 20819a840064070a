import { loadConfig } from '@idp/config';
import type { Clock } from '@idp/keys';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import { isolatedEnvironment } from './environment.js';

/**
 * Starts the real server in this process (listening on an ephemeral loopback port) when a test
 * must inject a clock; everything else about it is what `pnpm start` runs.
 */
export async function startInProcess(
  settings: Record<string, string>,
  clock?: Clock,
): Promise<RunningServer> {
  const env = await isolatedEnvironment({ PORT: '0', HOST: '127.0.0.1', ...settings });
  const config = loadConfig(env);
  return startServer(config, { logger: createLogger('silent'), ...(clock ? { clock } : {}) });
}
