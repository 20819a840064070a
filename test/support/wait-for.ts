import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `condition` holds, failing after `timeoutMs`. For waiting on another process's
 * observable state (a log line, a published key), never for a fixed time.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
