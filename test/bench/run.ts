/**
 * `pnpm bench`: our server side by side with node-oidc-provider, one core each for the server
 * and the load generator. See README.md "Performance" for what it measures and how to read it.
 *
 *   pnpm bench [--db sqlite|postgres] [--peer] [--duration 10] [--runs 3] [--warmup 3]
 *              [--connections 10] [--scenarios a,b,c] [--out file.json] [--cpu-prof] [--workers 2]
 *              [--baseline ../other-checkout] [--redis]
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { freePort } from '../support/free-port.js';
import {
  runWindow,
  preflight,
  type Load,
  type LoadState,
  type WindowOptions,
  type WindowResult,
} from './load.js';
import { startOurs } from './ours.js';
import { startPeer } from './peer.js';
import {
  affinityOf,
  ALL_CORES,
  cpuProfileFlags,
  machineBusyMicros,
  pinSelfToLoadCore,
  processTree,
  SERVER_CORE,
  spawnPinned,
  stopAll,
  waitForQuietMachine,
  waitUntilReady,
} from './processes.js';
import { summarizeProfile, type TimedWindow } from './profile.js';
import {
  checkTargets,
  renderReport,
  summarize,
  type BenchResults,
  type CryptoRates,
  type ScenarioResult,
} from './report.js';
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
  /**
   * IDP_WORKERS: above 1, our server also runs a second time in that many worker processes on
   * every core (core 0 shared with the load), measured in turn with the one-core server.
   */
  readonly workers: number;
  /**
   * A built checkout of the project (a git worktree of another commit): its server runs beside
   * ours, seeded alike and pinned to the same core, and their windows take turns. On a machine
   * whose pace drifts by 20 % within minutes, that is how a change is measured.
   */
  readonly baseline: string | undefined;
  /**
   * Our servers run with IDP_REDIS_URL (the Redis on 127.0.0.1:6379): assertion and DPoP `jti`s
   * and pushed requests go to Redis instead of the database. Redis's CPU is charged apart.
   */
  readonly redis: boolean;
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
      baseline: { type: 'string' },
      redis: { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, raw: string) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number (got "${raw}")`);
    return value;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres')
    throw new Error(`--db must be sqlite or postgres (got "${values.db}")`);
  const scenarios = values.scenarios
    ? values.scenarios.split(',').map((name) => name.trim())
    : [...SCENARIO_NAMES];
  const unknown = scenarios.filter((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown.length)
    throw new Error(
      `unknown scenario ${unknown.join(', ')}; choose from ${SCENARIO_NAMES.join(', ')}`,
    );
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
    baseline: values.baseline ? resolve(callerDir, values.baseline) : undefined,
    redis: values.redis,
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
    result.serverCpuShare < 0.9
      ? `server only ${(result.serverCpuShare * 100).toFixed(0)}% busy`
      : '',
    result.queueExhausted ? 'queue used up early' : '',
    result.otherCpuShare > BUSY_MACHINE ? 'machine busy with other work' : '',
    result.errors ? `statuses ${JSON.stringify(result.statuses)}` : '',
    result.errorSample ? `first: ${result.errorSample}` : '',
  ].filter(Boolean);
  return (
    `  ${label.padEnd(18)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms  ` +
    `errors ${result.errors}  ${result.cpuMicrosPerRequest.toFixed(0)} µs CPU/req${result.databaseMicrosPerRequest >= 1 ? ` + ${result.databaseMicrosPerRequest.toFixed(0)} µs in the stores` : ''}  (${result.requests} in ${result.seconds.toFixed(1)} s; ` +
    `server ${(result.serverCpuShare * 100).toFixed(0)}%, load ${(result.loadCpuShare * 100).toFixed(0)}%, other ${(result.otherCpuShare * 100).toFixed(0)}%)${flags.length ? `  [${flags.join('; ')}]` : ''}`
  );
}

/**
 * One window, started when the machine is quiet. This machine is shared: a window in which other
 * work still took a core is done again (twice at most), keeping the least disturbed one.
 */
async function quietWindow(
  label: string,
  load: Load,
  options: WindowOptions,
  state: LoadState,
): Promise<WindowResult> {
  let best: WindowResult | undefined;
  for (
    let attempt = 0;
    attempt <= MAX_RETRIES && (!best || best.otherCpuShare > BUSY_MACHINE);
    attempt += 1
  ) {
    const waited = await waitForQuietMachine(BUSY_MACHINE / 2, MAX_QUIET_WAIT_MS);
    if (waited > 1_000)
      log(`  (waited ${(waited / 1000).toFixed(0)} s for other work on the machine to finish)`);
    const result = await runWindow(load, options, state);
    log(describeWindow(attempt ? `${label} again` : label, result));
    if (!best || result.otherCpuShare < best.otherCpuShare) best = result;
  }
  return best!;
}

/** One side of a scenario: a load against one server process, measured in turn with the others. */
interface Contender {
  /** ours, workers, baseline, peer or hello (the row the result goes to). */
  readonly name: 'ours' | 'workers' | 'baseline' | 'peer' | 'hello';
  readonly load: Load;
  readonly url: string;
  readonly pid: number;
  readonly expect: 2 | 3;
  /** PostgreSQL's processes, charged apart for our server on PostgreSQL. */
  readonly databaseProcesses?: readonly string[] | undefined;
}

/**
 * One scenario on every contender: a warm-up each (which also sizes the queues), then the timed
 * windows in turn (ours, peer, hello, then peer, hello, ours, ...), so that a ratio compares
 * windows minutes apart at most. This machine's pace drifts: a hello-world run measured 93k req/s
 * and, ten minutes later, 73k, which is as large as the gaps the targets are about.
 */
async function measureInTurn(
  contenders: readonly Contender[],
  options: Options,
): Promise<ScenarioResult[]> {
  const states: LoadState[] = contenders.map(() => ({ pool: [], rate: undefined }));
  const window = (contender: Contender, seconds: number): WindowOptions => ({
    url: contender.url,
    serverPid: contender.pid,
    connections: options.connections,
    seconds,
    expect: contender.expect,
    databaseProcesses: contender.databaseProcesses,
  });
  // Only the measured server runs; the others are stopped (SIGSTOP). An idle Node process is not
  // quiet after a busy window: V8's memory reducer runs full GCs of its heap over the next seconds,
  // on the same core. With the peer's heap full of tokens, that put our revocation p99 at 26-32 ms
  // (10-12 ms measured alone), and the peer's introspection p99 at 18 ms.
  const runOnly = (index: number) => {
    for (const [other, contender] of contenders.entries())
      signalTree(contender.pid, other === index ? 'SIGCONT' : 'SIGSTOP');
  };
  try {
    const warmups: WindowResult[] = [];
    for (const [index, contender] of contenders.entries()) {
      runOnly(index);
      const warmup = await quietWindow(
        `${contender.name} warm-up`,
        contender.load,
        window(contender, options.warmup),
        states[index]!,
      );
      states[index]!.rate = warmup.requestsPerSecond;
      warmups.push(warmup);
    }
    const runs: WindowResult[][] = contenders.map(() => []);
    for (let run = 1; run <= options.runs; run += 1) {
      for (let turn = 0; turn < contenders.length; turn += 1) {
        const index = (turn + run - 1) % contenders.length;
        const contender = contenders[index]!;
        runOnly(index);
        const result = await quietWindow(
          `${contender.name} run ${run}/${options.runs}`,
          contender.load,
          window(contender, options.duration),
          states[index]!,
        );
        runs[index]!.push(result);
        states[index]!.rate = result.requestsPerSecond;
      }
    }
    return contenders.map((_, index) => summarize(warmups[index]!, runs[index]!));
  } finally {
    for (const contender of contenders) signalTree(contender.pid, 'SIGCONT');
  }
}

/** Stops or continues a server process and its children (cluster workers). */
function signalTree(pid: number, signal: 'SIGSTOP' | 'SIGCONT'): void {
  for (const member of processTree(pid)) {
    try {
      process.kill(member, signal);
    } catch {
      // Exited meanwhile: nothing to stop or continue.
    }
  }
}

/** The load a scenario puts on a server, checked with one request; undefined when it does not apply. */
async function contenderFor(
  scenario: Scenario,
  target: ServerTarget,
  options: Options,
): Promise<Contender | undefined> {
  const load = await scenario.load(target);
  if (!load) return undefined;
  const answer = await preflight(load, target.url, { pool: [], rate: undefined });
  if (!scenario.verify(answer.status, answer.body))
    throw new Error(
      `${target.name}: unexpected answer ${answer.status}: ${answer.body.slice(0, 300)}`,
    );
  // Our server's stores (PostgreSQL's backends, Redis) are charged apart (the peer keeps everything
  // in memory). Redis is the machine's own and may serve other work meanwhile: an upper bound.
  const databaseProcesses =
    target.name === 'peer'
      ? []
      : [
          ...(options.db === 'postgres' ? ['postgres'] : []),
          ...(options.redis ? ['redis-server'] : []),
        ];
  return {
    name: target.name,
    load,
    url: target.url,
    pid: target.pid,
    expect: scenario.expect,
    databaseProcesses,
  };
}

/** The hello-world process, and its load. */
interface Hello {
  readonly contender: Contender;
  stop(): Promise<void>;
}

async function startHello(options: Options): Promise<Hello> {
  const port = await freePort();
  const hello = spawnPinned(
    [
      ...cpuProfileFlags(options.cpuProfileDir && join(options.cpuProfileDir, 'hello')),
      '--import',
      'tsx',
      join(here, 'hello.ts'),
      String(port),
    ],
    {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      cwd: testPackage,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${url}/`, hello);
  } catch (error) {
    await hello.stop();
    throw error;
  }
  return {
    contender: {
      name: 'hello',
      load: { kind: 'fixed', request: { method: 'GET', path: '/' } },
      url,
      pid: hello.pid,
      expect: 2,
    },
    stop: () => hello.stop(),
  };
}

/** Scenarios whose targets divide by the core's RS256 or argon2 rate (crypto.ts). */
const CRYPTO_BOUND = new Set(['client_credentials', 'refresh', 'login']);

/** Scenarios whose targets compare them with hello world: measured in turn with it. */
const BESIDE_HELLO = new Set(['discovery', 'jwks']);

/** Records why `key` could not be measured, and says so. */
function noteFailure(results: BenchResults, key: string, error: unknown): void {
  results.failures[key] = error instanceof Error ? error.message : String(error);
  log(`  FAILED ${key}: ${results.failures[key]}`);
}

/**
 * One scenario on every running server that it applies to and, for discovery and JWKS, hello
 * world beside them. Returns hello's result, if it took part.
 */
async function measureScenario(
  scenario: Scenario,
  servers: readonly ServerTarget[],
  hello: Hello | undefined,
  options: Options,
  results: BenchResults,
): Promise<ScenarioResult | undefined> {
  const contenders: Contender[] = [];
  for (const server of servers) {
    try {
      const contender = await contenderFor(scenario, server, options);
      if (contender) contenders.push(contender);
    } catch (error) {
      noteFailure(results, `${server.name} ${scenario.name}`, error);
    }
  }
  if (!contenders.length) return undefined;
  if (hello && BESIDE_HELLO.has(scenario.name)) contenders.push(hello.contender);
  // The ceiling these targets divide by, measured again just before and just after the
  // scenario's windows; the targets take the higher of each rate, so that a moment when the core
  // ran slow (this machine's pace drifts) cannot make the server look more efficient than it is.
  const cryptoBound =
    CRYPTO_BOUND.has(scenario.name) && contenders.some((contender) => contender.name === 'ours');
  const before = cryptoBound ? await measureCrypto() : undefined;
  log(
    `${scenario.name}: ${contenders.map((contender) => contender.name).join(', ')}${contenders.length > 1 ? ', in turn' : ''}`,
  );
  const measured = await measureInTurn(contenders, options);
  if (before) {
    const after = await measureCrypto();
    (results.cryptoAround ??= {})[scenario.name] = { before, after };
    (results.cryptoBeside ??= {})[scenario.name] = higherRates(before, after);
  }
  let helloResult: ScenarioResult | undefined;
  for (const [index, contender] of contenders.entries()) {
    if (contender.name === 'hello')
      helloResult = (results.helloBeside ??= {})[scenario.name] = measured[index]!;
    else resultsOf(results, contender.name)[scenario.name] = measured[index]!;
  }
  return helloResult;
}

/**
 * Every selected scenario on our server, the peer (--peer) and, for discovery and JWKS, hello
 * world, all started before the first window and pinned alike; an idle one is stopped while
 * another is measured. When profiling, each scenario gets fresh servers so that each profile is
 * that scenario's.
 */
async function measureAll(options: Options, results: BenchResults): Promise<void> {
  const selected = SCENARIOS.filter((scenario) => options.scenarios.includes(scenario.name));
  const wantsHello = options.scenarios.includes('hello');
  const helloResults: ScenarioResult[] = [];

  const groups = options.cpuProfileDir ? selected.map((scenario) => [scenario]) : [selected];
  for (const group of groups) {
    const servers: ServerTarget[] = [];
    let hello: Hello | undefined;
    const close = async () => {
      // A server interrupted while stopped (Ctrl-C mid-window) would not see its SIGTERM.
      for (const pid of [hello?.contender.pid, ...servers.map((server) => server.pid)])
        if (pid) signalTree(pid, 'SIGCONT');
      await Promise.allSettled([hello?.stop(), ...servers.map((server) => server.close())]);
    };
    cleanups.add(close);
    try {
      if (wantsHello && group.some((scenario) => BESIDE_HELLO.has(scenario.name)))
        hello = await startHello(options);
      const ours = await startOurs({
        db: options.db,
        redis: options.redis,
        cpuProfileDir: options.cpuProfileDir && join(options.cpuProfileDir, 'ours'),
      });
      servers.push(ours);
      if (affinityOf(ours.pid) !== String(SERVER_CORE))
        throw new Error(`our server not pinned to core ${SERVER_CORE}`);
      if (options.workers > 1) {
        const workers = await startOurs({
          db: options.db,
          redis: options.redis,
          workers: options.workers,
          cpuProfileDir: options.cpuProfileDir && join(options.cpuProfileDir, 'workers'),
        });
        servers.push(workers);
        if (affinityOf(workers.pid) !== ALL_CORES)
          throw new Error(`our worker-mode server not on cores ${ALL_CORES}`);
      }
      if (options.baseline) {
        const baseline = await startOurs({
          db: options.db,
          redis: options.redis,
          checkout: options.baseline,
          cpuProfileDir: options.cpuProfileDir && join(options.cpuProfileDir, 'baseline'),
        });
        servers.push(baseline);
        if (affinityOf(baseline.pid) !== String(SERVER_CORE))
          throw new Error(`baseline server not pinned to core ${SERVER_CORE}`);
      }
      if (options.peer) {
        const peer = await startPeer({
          cpuProfileDir: options.cpuProfileDir && join(options.cpuProfileDir, 'peer'),
        });
        servers.push(peer);
        if (affinityOf(peer.pid) !== String(SERVER_CORE))
          throw new Error(`peer not pinned to core ${SERVER_CORE}`);
      }
      for (const scenario of group) {
        try {
          const helloResult = await measureScenario(scenario, servers, hello, options, results);
          if (helloResult) helloResults.push(helloResult);
        } catch (error) {
          noteFailure(results, scenario.name, error);
        }
      }
    } finally {
      cleanups.delete(close);
      await close();
    }
  }

  // Hello world alone, when no scenario was measured beside it.
  if (wantsHello && !helloResults.length) {
    const hello = await startHello(options);
    try {
      log('hello: fastify hello world');
      helloResults.push((await measureInTurn([hello.contender], options))[0]!);
    } finally {
      await hello.stop();
    }
  }
  // Every hello window of the run, for the table's hello row.
  if (helloResults.length)
    results.hello = summarize(
      helloResults[0]!.warmup,
      helloResults.flatMap((result) => result.runs),
    );
}

/** Each rate the higher of two measurements. */
function higherRates(a: CryptoRates, b: CryptoRates): CryptoRates {
  return {
    rs256SignsPerSecond: Math.max(a.rs256SignsPerSecond, b.rs256SignsPerSecond),
    rs256VerifiesPerSecond: Math.max(a.rs256VerifiesPerSecond, b.rs256VerifiesPerSecond),
    argon2HashesPerSecond: Math.max(a.argon2HashesPerSecond, b.argon2HashesPerSecond),
    argon2HashesPerSecondFourAtOnce: Math.max(
      a.argon2HashesPerSecondFourAtOnce,
      b.argon2HashesPerSecondFourAtOnce,
    ),
  };
}

/** The crypto ceilings, measured when the machine is quiet; a disturbed measurement is redone. */
async function measureCrypto(): Promise<CryptoRates> {
  log('crypto: jose RS256 and argon2id on the server core');
  let best: { rates: CryptoRates; other: number } | undefined;
  for (
    let attempt = 0;
    attempt <= MAX_RETRIES && (!best || best.other > BUSY_MACHINE);
    attempt += 1
  ) {
    await waitForQuietMachine(BUSY_MACHINE / 2, MAX_QUIET_WAIT_MS);
    const busyBefore = machineBusyMicros();
    const started = Date.now();
    const { stdout } = await promisify(execFile)(
      'taskset',
      ['-c', String(SERVER_CORE), process.execPath, '--import', 'tsx', join(here, 'crypto.ts')],
      { cwd: testPackage },
    );
    // The child keeps one core busy; anything beyond that is other work.
    const other = (machineBusyMicros() - busyBefore) / 1000 / (Date.now() - started) - 1;
    const rates = JSON.parse(stdout) as CryptoRates;
    log(
      `  ${rates.rs256SignsPerSecond.toFixed(0)} RS256 signs/s, ${rates.rs256VerifiesPerSecond.toFixed(0)} verifies/s, ${rates.argon2HashesPerSecond.toFixed(1)} argon2id hashes/s (${rates.argon2HashesPerSecondFourAtOnce.toFixed(1)} four at a time) (other ${(Math.max(0, other) * 100).toFixed(0)}%)`,
    );
    if (!best || other < best.other) best = { rates, other };
  }
  return best!.rates;
}

/** Where a server's results go, by its contender name (created for the optional ones). */
function resultsOf(
  results: BenchResults,
  name: 'ours' | 'workers' | 'baseline' | 'peer',
): Record<string, ScenarioResult> {
  return name === 'ours' || name === 'peer' ? results[name] : (results[name] ??= {});
}

/** The timed windows of the server whose profile is at `file` (ours/, workers/, baseline/, peer/ or hello/...). */
function timedWindowsOf(results: BenchResults, file: string): TimedWindow[] {
  const name = file.split(sep)[0];
  const measured =
    name === 'hello'
      ? [...Object.values(results.helloBeside ?? {}), ...(results.hello ? [results.hello] : [])]
      : name === 'ours' || name === 'peer' || name === 'workers' || name === 'baseline'
        ? Object.values(resultsOf(results, name))
        : [];
  return measured.flatMap((scenario) =>
    scenario.runs.map((run) => ({
      startMicros: run.startMicros,
      endMicros: run.endMicros,
      requests: run.requests,
    })),
  );
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
    serverSourcesDirty: Boolean(
      git(['status', '--porcelain', '--untracked-files=no', '--', 'apps', 'packages', 'prisma']),
    ),
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
  log(
    `bench: ${options.db}${options.redis ? ' + Redis (IDP_REDIS_URL)' : ''}, ${options.connections} connections, ${options.warmup} s warm-up + ${options.runs} x ${options.duration} s per scenario` +
      `${options.peer ? ', with node-oidc-provider' : ''}; load generator on core 0, ` +
      `each server alone on core ${SERVER_CORE}` +
      (options.workers > 1
        ? `, and ours again in ${options.workers} worker processes on cores ${ALL_CORES} (sharing core 0 with the load), measured in turn with it`
        : '') +
      (options.baseline ? `; the baseline checkout ${options.baseline} beside ours, in turn` : ''),
  );
  try {
    if (options.scenarios.some((name) => CRYPTO_BOUND.has(name)))
      results.crypto = await measureCrypto();
    await measureAll(options, results);
  } finally {
    await stopAll();
  }

  results.targets = checkTargets(
    results,
    Object.fromEntries(SCENARIOS.map((scenario) => [scenario.name, scenario.signatures])),
  );
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAtEnd = loadavg();
  log(`\n${renderReport(results, SCENARIO_NAMES)}`);
  if (options.cpuProfileDir)
    log(
      `\n${await summarizeProfile(options.cpuProfileDir, 25, (file) => timedWindowsOf(results, relative(options.cpuProfileDir!, file)))}`,
    );
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
