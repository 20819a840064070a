/**
 * How many token families a crash costs: N families refresh in a loop against a real server,
 * which is killed with SIGKILL mid-load and started again; each client then retries its last
 * refresh with the refresh token it last received, as a real client does, and the families the
 * retry found revoked are counted. A family is lost when its last refresh committed but the
 * answer never left the process: the retry presents a rotated token (RFC 9700 4.14.2 reuse),
 * unless a grace period is on, which hands it the same successor instead.
 *
 * Not part of the test suite (it measures, it does not pass or fail). From test/:
 *   node --import tsx faults/kill-under-load.ts --provider postgresql --families 76 --grace 0s
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '@idp/db';
import { TestBrowser } from '../support/browser.js';
import { providers, type Provider } from '../support/databases.js';
import { basic, loginTokens } from '../support/flow.js';
import { spawnServer } from '../support/processes.js';
import { startProvider, WEB_SECRET } from '../support/provider-fixture.js';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'sqlite' },
    families: { type: 'string', default: '76' },
    grace: { type: 'string', default: '0s' },
    'load-ms': { type: 'string', default: '2000' },
  },
});
const provider = values.provider as Provider;
if (!providers.includes(provider))
  throw new Error(`--provider must be one of ${providers.join(', ')}`);
const familyCount = Number(values.families);
const loadMs = Number(values['load-ms']);

async function refresh(
  issuer: string,
  token: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('web', WEB_SECRET),
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch (error) {
    return { status: 0, body: { error: String(error) } };
  }
}

const op = await startProvider(provider, { IDP_REFRESH_TOKEN_REUSE_GRACE: values.grace });
try {
  const browser = new TestBrowser();
  const held: string[] = [];
  for (let index = 0; index < familyCount; index += 1)
    held.push(
      (await loginTokens(browser, op.issuer, { scope: 'openid offline_access' })).refresh_token!,
    );

  let refreshes = 0;
  let crashed = false;
  const loops = held.map(async (_, index) => {
    while (!crashed) {
      const answer = await refresh(op.issuer, held[index]!);
      if (answer.status !== 200) return;
      refreshes += 1;
      held[index] = answer.body.refresh_token as string;
    }
  });
  await sleep(loadMs);
  const exited = once(op.server.process, 'exit');
  op.server.process.kill('SIGKILL');
  crashed = true;
  await exited;
  await Promise.all(loops);

  const restarted = await spawnServer({ ...op.env });
  try {
    const retries = await Promise.all(held.map((token) => refresh(op.issuer, token)));
    const ok = retries.filter((answer) => answer.status === 200).length;
    const db = await openDatabase(op.databaseUrl);
    const revoked = await db.prisma.tokenFamily.count({
      where: { revokedReason: 'refresh_token_reuse' },
    });
    await db.close();
    console.log(
      JSON.stringify({
        provider,
        grace: values.grace,
        families: familyCount,
        refreshesBeforeKill: refreshes,
        retriesOk: ok,
        familiesRevokedByRetry: revoked,
      }),
    );
  } finally {
    await restarted.stop();
  }
} finally {
  await op.close();
}
