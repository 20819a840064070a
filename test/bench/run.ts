/**
 * `pnpm bench`: our server side by side with node-oidc-provider, one core each for the server
 * and the load generator. See README.md "Performance" for what it measures and how to read it.
 *
 *   pnpm bench [--db sqlite|postgres] [--peer] [--duration 10] [--runs 3] [--warmup 3]
 *              [--connections 10] [--scenarios a,b,c] [--out file.json] [--cpu-prof] [--workers 2]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { freePort } from '../support/free-port.js';
import { runWindow, preflight, type Load, type LoadState, type WindowOptions, type WindowResult } from './load.js';
import { startOurs } from './ours.js';
import { startPeer } from './peer.js';
import { affinityOf, ALL_CORES, machineBusyMicros, pinSelfToLoadCore, SERVER_CORE, spawnPinned, stopAll, waitForQuietMachine, waitUntilReady } from './processes.js';
import { summarizeProfile } from './profile.js';
import { checkTargets, renderReport, summarize, type BenchResults, type CryptoRates, type ScenarioResult } from './report.js';
import { SCENARIO_NAMES, SCENARIOS, type Scenario, type ServerTarget } from './scenarios.js';

const here = dirname(fileURLToPath(import.meta.url));
const testPackage = resolve(here, '..');

interface Options {
  readonly db: 'sqlite' | 'postgres';
  readonly peer: boolean;
  readonly duration: number;
  readonly runs: number;
  readonly warmup: number;
  readonly connections: number;
  readonly scenarios: readonly string[];
  readonly out: string;
  /** Profile the servers (one fresh server per scenario, so each profile is that scenario's). */
  readonly cpuProfileDir: string | undefined;
  /** IDP_WORKERS for our server: above 1 it runs on both cores, sharing core 0 with the load. */
  readonly workers: number;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      db: { type: 'string', default: 'sqlite' },
      peer: { type: 'boolean', default: false },
      duration: { type: 'string', default: '10' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      scenarios: { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
    },
  });
  const positive = (name: string, raw: string) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
    return value;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error(`--db must be sqlite or postgres (got "${values.db}")`);
  const scenarios = values.scenarios ? values.scenarios.split(',').map((name) => name.trim()) : [...SCENARIO_NAMES];
  const unknown = scenarios.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIO_NAMES.join(', ')}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // pnpm runs the script in test/; relative paths are the caller's (INIT_CWD).
  const callerDir = process.env.INIT_CWD ?? process.cwd();
  return {
    db: values.db,
    peer: values.peer,
    duration: positive('duration', values.duration),
    runs: Math.round(positive('runs', values.runs)),
    warmup: positive('warmup', values.warmup),
    connections: Math.round(positive('connections', values.connections)),
    scenarios,
    out: values.out ? resolve(callerDir, values.out) : join(here, 'results', `${stamp}.json`),
    cpuProfileDir: values['cpu-prof'] ? join(here, 'results', `profiles-${stamp}`) : undefined,
    workers: Math.round(positive('workers', values.workers)),
  };
}

/** Share of a core taken by other processes above which a window is disturbed, and retries of one. */
const BUSY_MACHINE = 0.25;
const MAX_RETRIES = 2;
/** The longest a window waits for the machine to be quiet before it runs anyway. */
const MAX_QUIET_WAIT_MS = 60_000;

const log = (line: string) => process.stdout.write(`${line}\n`);

function describeWindow(label: string, result: WindowResult): string {
  const flags = [
    result.serverCpuShare < 0.9 ? `server only ${(result.serverCpuShare * 100).toFixed(0)}% busy` : '',
    result.queueExhausted ? 'queue used up early' : '',
    result.otherCpuShare > BUSY_MACHINE ? 'machine busy with other work' : '',
    result.errors ? `statuses ${JSON.stringify(result.statuses)}` : '',
    result.errorSample ? `first: ${result.errorSample}` : '',
  ].filter(Boolean);
  return (
    `  ${label.padEnd(10)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  ` +
    `errors ${result.errors}  ${result.cpuMicrosPerRequest.toFixed(0)} µs CPU/req${result.databaseMicrosPerRequest >= 1 ? ` + ${result.databaseMicrosPerRequest.toFixed(0)} µs in PostgreSQL` : ''}  (${result.requests} in ${result.seconds.toFixed(1)} s; ` +
    `server ${(result.serverCpuShare * 100).toFixed(0)}%, load ${(result.loadCpuShare * 100).toFixed(0)}%, other ${(result.otherCpuShare * 100).toFixed(0)}%)${flags.length ? `  [${flags.join('; ')}]` : ''}`
  );
}

/**
 * One window, started when the machine is quiet. This machine is shared: a window in which other
 * work still took a core is done again (twice at most), keeping the least disturbed one.
 */
async function quietWindow(label: string, load: Load, options: WindowOptions, state: LoadState): Promise<WindowResult> {
  let best: WindowResult | undefined;
  for (let attempt = 0; attempt <= MAX_RETRIES && (!best || best.otherCpuShare > BUSY_MACHINE); attempt += 1) {
    const waited = await waitForQuietMachine(BUSY_MACHINE / 2, MAX_QUIET_WAIT_MS);
    if (waited > 1_000) log(`  (waited ${(waited / 1000).toFixed(0)} s for other work on the machine to finish)`);
    const result = await runWindow(load, options, state);
    log(describeWindow(attempt ? '  again' : label, result));
    if (!best || result.otherCpuShare < best.otherCpuShare) best = result;
  }
  return best!;
}

/** Warm-up window (also sizes the queues), then the timed windows, against one server process. */
async function measure(title: string, load: Load, url: string, pid: number, expect: 2 | 3, options: Options, databaseProcess?: string): Promise<ScenarioResult> {
  log(title);
  const state: LoadState = { pool: [], rate: undefined };
  const window = (seconds: number): WindowOptions => ({ url, serverPid: pid, connections: options.connections, seconds, expect, databaseProcess });
  const warmup = await quietWindow('warm-up', load, window(options.warmup), state);
  state.rate = warmup.requestsPerSecond;
  const runs: WindowResult[] = [];
  for (let run = 1; run <= options.runs; run += 1) {
    const result = await quietWindow(`run ${run}/${options.runs}`, load, window(options.duration), state);
    runs.push(result);
    state.rate = result.requestsPerSecond;
  }
  return summarize(warmup, runs);
}

async function measureScenario(scenario: Scenario, target: ServerTarget, options: Options, results: BenchResults): Promise<void> {
  const key = `${target.name} ${scenario.name}`;
  try {
    const load = await scenario.load(target);
    if (!load) return;
    const state: LoadState = { pool: [], rate: undefined };
    const answer = await preflight(load, target.url, state);
    if (!scenario.verify(answer.status, answer.body)) throw new Error(`unexpected answer ${answer.status}: ${answer.body.slice(0, 300)}`);
    // Our server on PostgreSQL: the database's backends are charged apart (the peer keeps everything in memory).
    const databaseProcess = target.name === 'ours' && options.db === 'postgres' ? 'postgres' : undefined;
    results[target.name][scenario.name] = await measure(`${target.name}: ${scenario.name}`, load, target.url, target.pid, scenario.expect, options, databaseProcess);
  } catch (error) {
    results.failures[key] = error instanceof Error ? error.message : String(error);
    log(`  FAILED ${key}: ${results.failures[key]}`);
  }
}

/** Runs every selected scenario against servers made by `start` (one per scenario when profiling). */
async function measureServer(start: () => Promise<ServerTarget>, cores: string, options: Options, results: BenchResults): Promise<void> {
  const selected = SCENARIOS.filter((scenario) => options.scenarios.includes(scenario.name));
  if (selected.length === 0) return;
  const groups = options.cpuProfileDir ? selected.map((scenario) => [scenario]) : [selected];
  for (const group of groups) {
    const target = await start();
    cleanups.add(target.close);
    try {
      if (affinityOf(target.pid) !== cores) throw new Error(`server not pinned to cores ${cores}`);
      for (const scenario of group) await measureScenario(scenario, target, options, results);
    } finally {
      cleanups.delete(target.close);
      await target.close();
    }
  }
}

async function measureHello(options: Options): Promise<ScenarioResult> {
  const port = await freePort();
  const hello = spawnPinned([...profileFlags(options, 'hello'), '--import', 'tsx', join(here, 'hello.ts'), String(port)], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    cwd: testPackage,
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitUntilReady(`${url}/`, hello);
    return await measure('hello: fastify hello world', { kind: 'fixed', request: { method: 'GET', path: '/' } }, url, hello.pid, 2, options);
  } finally {
    await hello.stop();
  }
}

/** The crypto ceilings, measured when the machine is quiet; a disturbed measurement is redone. */
async function measureCrypto(): Promise<CryptoRates> {
  log('crypto: jose RS256 and argon2id on the server core');
  let best: { rates: CryptoRates; other: number } | undefined;
  for (let attempt = 0; attempt <= MAX_RETRIES && (!best || best.other > BUSY_MACHINE); attempt += 1) {
    await waitForQuietMachine(BUSY_MACHINE / 2, MAX_QUIET_WAIT_MS);
    const busyBefore = machineBusyMicros();
    const started = Date.now();
    const { stdout } = await promisify(execFile)('taskset', ['-c', String(SERVER_CORE), process.execPath, '--import', 'tsx', join(here, 'crypto.ts')], { cwd: testPackage });
    // The child keeps one core busy; anything beyond that is other work.
    const other = (machineBusyMicros() - busyBefore) / 1000 / (Date.now() - started) - 1;
    const rates = JSON.parse(stdout) as CryptoRates;
    log(`  ${rates.rs256SignsPerSecond.toFixed(0)} RS256 signs/s, ${rates.rs256VerifiesPerSecond.toFixed(0)} verifies/s, ${rates.argon2HashesPerSecond.toFixed(1)} argon2id hashes/s (${rates.argon2HashesPerSecondFourAtOnce.toFixed(1)} four at a time) (other ${(Math.max(0, other) * 100).toFixed(0)}%)`);
    if (!best || other < best.other) best = { rates, other };
  }
  return best!.rates;
}

function profileFlags(options: Options, name: string): string[] {
  return options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfileDir, name)}`] : [];
}

function machine(): Record<string, unknown> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: resolve(here, '../..'), encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    node: process.version,
    commit: git(['rev-parse', 'HEAD']),
    // Uncommitted changes to the server's code: the numbers are then of the working tree.
    serverSourcesDirty: Boolean(git(['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'packages', 'prisma'])),
    loadAverageAtStart: loadavg(),
  };
}

/** What must be undone if the run stops early (servers, scratch databases). */
const cleanups = new Set<() => Promise<void>>();

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  pinSelfToLoadCore();
  process.once('SIGINT', () => {
    log('\ninterrupted: stopping servers and dropping the scratch database');
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup()))
      .then(() => stopAll())
      .finally(() => process.exit(130));
  });

  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    options: { ...options },
    machine: machine(),
    ours: {},
    peer: {},
    failures: {},
  };
  log(`bench: ${options.db}, ${options.connections} connections, ${options.warmup} s warm-up + ${options.runs} x ${options.duration} s per scenario` +
    `${options.peer ? ', with node-oidc-provider' : ''}; load generator on core 0, ` +
    (options.workers > 1 ? `our server in ${options.workers} worker processes on both cores (sharing core 0 with the load)` : `each server alone on core ${SERVER_CORE}`));
  try {
    if (options.scenarios.some((name) => ['client_credentials', 'refresh', 'login'].includes(name))) results.crypto = await measureCrypto();
    if (options.scenarios.includes('hello')) results.hello = await measureHello(options);
    const ourCores = options.workers > 1 ? ALL_CORES : String(SERVER_CORE);
    await measureServer(() => startOurs({ db: options.db, workers: options.workers, cpuProfileDir: options.cpuProfileDir && join(options.cpuProfileDir, 'ours') }), ourCores, options, results);
    if (options.peer) await measureServer(() => startPeer({ cpuProfileDir: options.cpuProfileDir && join(options.cpuProfileDir, 'peer') }), String(SERVER_CORE), options, results);
  } finally {
    await stopAll();
  }

  results.targets = checkTargets(results, Object.fromEntries(SCENARIOS.map((scenario) => [scenario.name, scenario.signatures])));
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAtEnd = loadavg();
  log(`\n${renderReport(results, SCENARIO_NAMES)}`);
  if (options.cpuProfileDir) log(`\n${await summarizeProfile(options.cpuProfileDir)}`);
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${options.out}`);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  await Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  await stopAll();
  process.exitCode = 1;
}
