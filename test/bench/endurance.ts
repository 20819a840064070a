/**
 * Memory under a long refresh load: the server's resident memory after 10,000 refreshes with
 * rotation and after 100,000 (the target: within 10 %). Our server alone on core 1, the
 * load on core 0, as in run.ts; the database grows (used refresh tokens are kept for replay
 * detection until clean-up removes them), the process must not.
 *
 *   pnpm bench:endurance [--db sqlite|postgres] [--total 100000] [--checkpoint 10000]
 *
 * The JavaScript heap after GC over the same load: `node --expose-gc --import tsx bench/endurance-heap.ts`.
 */
import { parseArgs } from 'node:util';
import { runWindow, preflight, type LoadState } from './load.js';
import { startOurs } from './ours.js';
import { pinSelfToLoadCore, stopAll, treeRssBytes } from './processes.js';
import { SCENARIOS } from './scenarios.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    total: { type: 'string', default: '100000' },
    checkpoint: { type: 'string', default: '10000' },
  },
});
if (values.db !== 'sqlite' && values.db !== 'postgres')
  throw new Error(`--db must be sqlite or postgres (got "${values.db}")`);
const total = Number(values.total);
const checkpoint = Number(values.checkpoint);
if (!(checkpoint > 0 && total > checkpoint))
  throw new Error('--total must be larger than --checkpoint, both positive');

const log = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

pinSelfToLoadCore();
const target = await startOurs({ db: values.db });
try {
  const scenario = SCENARIOS.find((s) => s.name === 'refresh')!;
  const load = (await scenario.load(target))!;
  const state: LoadState = { pool: [], rate: undefined };
  const first = await preflight(load, target.url, state);
  if (!scenario.verify(first.status, first.body))
    throw new Error(`unexpected answer ${first.status}: ${first.body.slice(0, 300)}`);
  log(
    `endurance: ${values.db}, refresh with rotation until ${total} responses; resident memory of the server at ${checkpoint} and at ${total}`,
  );

  let done = 0;
  let errors = 0;
  const samples: { refreshes: number; rss: number }[] = [];
  const window = {
    url: target.url,
    serverPid: target.pid,
    connections: 10,
    seconds: 5,
    expect: 2 as const,
  };
  for (const goal of [checkpoint, total]) {
    while (done < goal) {
      const result = await runWindow(load, window, state);
      done += result.requests;
      errors += result.errors;
      state.rate = result.requestsPerSecond;
    }
    // Resident memory moves with GC timing and the allocator: let the idle server settle, then
    // keep the lowest of five readings a second apart. (`endurance-heap.ts` shows the JS heap.)
    let rss = Infinity;
    for (let reading = 0; reading < 5; reading += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      rss = Math.min(rss, treeRssBytes(target.pid));
    }
    samples.push({ refreshes: done, rss });
    log(`  after ${done} refreshes (${errors} errors): resident ${mib(rss)}`);
  }
  const early = samples[0]!;
  const late = samples[1]!;
  const growth = late.rss / early.rss - 1;
  log(
    `${Math.abs(growth) <= 0.1 ? 'MET   ' : 'MISSED'} memory after ${total} refreshes within 10 % of after ${checkpoint}: ${(growth * 100).toFixed(1)} %`,
  );
} finally {
  await target.close();
  await stopAll();
}
