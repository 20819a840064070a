import type { WindowResult } from './load.js';

/** One scenario on one server: every timed window, and the medians the table shows. */
export interface ScenarioResult {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Summed over the timed windows. */
  readonly errors: number;
  readonly cpuMicrosPerRequest: number;
  /** PostgreSQL backends' CPU per request (0 on SQLite). */
  readonly databaseMicrosPerRequest: number;
  readonly warmup: WindowResult;
  readonly runs: readonly WindowResult[];
}

/** The per-core ceilings measured by crypto.ts. */
export interface CryptoRates {
  readonly rs256SignsPerSecond: number;
  readonly rs256VerifiesPerSecond: number;
  readonly argon2HashesPerSecond: number;
  /** Four hashes at a time on the one core, as libuv's four threads run them under load. */
  readonly argon2HashesPerSecondFourAtOnce: number;
}

/** Everything one run measured, as written to the JSON file. */
export interface BenchResults {
  readonly startedAt: string;
  readonly options: Record<string, unknown>;
  readonly machine: Record<string, unknown>;
  crypto?: CryptoRates;
  /** The same, measured again just before and just after each scenario whose target divides by it. */
  cryptoAround?: Record<string, { before: CryptoRates; after: CryptoRates }>;
  /** Of those two, each rate's higher value: what the targets divide by. */
  cryptoBeside?: Record<string, CryptoRates>;
  /** Hello world: every window measured, and the windows measured in turn with each scenario. */
  hello?: ScenarioResult;
  helloBeside?: Record<string, ScenarioResult>;
  readonly ours: Record<string, ScenarioResult>;
  /** Our server in worker processes on every core (`--workers`), measured in turn with `ours`. */
  workers?: Record<string, ScenarioResult>;
  /** Another checkout's server (`--baseline`), measured in turn with `ours`. */
  baseline?: Record<string, ScenarioResult>;
  readonly peer: Record<string, ScenarioResult>;
  /** Scenarios that could not be measured, with the reason. */
  readonly failures: Record<string, string>;
  targets?: readonly TargetCheck[];
  finishedAt?: string;
}

/** One of the issue's targets: the measured value, the goal it must reach, and whether it did. */
export interface TargetCheck {
  readonly target: string;
  readonly value: number | undefined;
  readonly goal: number;
  /** undefined when a number it needs was not measured (scenario not selected, no --peer). */
  readonly met: boolean | undefined;
  /**
   * The same value from each timed window (ratios: window i of one server against window i of the
   * other, which ran next to it), to show how far one draw of windows can move it; `value` and
   * `met` stay with the medians.
   */
  readonly windows?: readonly number[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
};

/** Medians over the timed windows (errors summed), keeping the windows for the JSON. */
export function summarize(warmup: WindowResult, runs: readonly WindowResult[]): ScenarioResult {
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    cpuMicrosPerRequest: median(runs.map((run) => run.cpuMicrosPerRequest)),
    databaseMicrosPerRequest: median(runs.map((run) => run.databaseMicrosPerRequest)),
    warmup,
    runs,
  };
}

/** a / b, when both were measured. */
const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b ? a / b : undefined;

/** The issue's targets, checked against this run's numbers. */
export function checkTargets(
  results: BenchResults,
  signatures: Record<string, number>,
): TargetCheck[] {
  const rate = (side: Record<string, ScenarioResult>, name: string) =>
    side[name]?.requestsPerSecond;
  const windowRates = (result: ScenarioResult | undefined) =>
    result?.runs.map((run) => run.requestsPerSecond) ?? [];
  // Window i against window i: the runs alternate, so those two were measured minutes apart at most.
  const pairedRatios = (a: ScenarioResult | undefined, b: ScenarioResult | undefined) => {
    const [top, bottom] = [windowRates(a), windowRates(b)];
    return top.length === bottom.length ? top.map((value, i) => value / bottom[i]!) : [];
  };
  const check = (
    target: string,
    value: number | undefined,
    goal: number,
    windows: readonly number[] = [],
  ): TargetCheck => ({
    target,
    value,
    goal,
    met: value === undefined ? undefined : value >= goal,
    ...(value !== undefined && windows.length > 1 ? { windows } : {}),
  });
  // The core's rates measured next to the scenario, when they were; else those of the run's start.
  const crypto = (name: string) => results.cryptoBeside?.[name] ?? results.crypto;
  const efficiency = (name: string, perSecond = rate(results.ours, name)) => {
    const signs = crypto(name)?.rs256SignsPerSecond;
    return perSecond !== undefined && signs
      ? (perSecond * (signatures[name] ?? 0)) / signs
      : undefined;
  };
  const efficiencyCheck = (name: string, goal: number) =>
    check(
      `${name} signing efficiency >= ${goal * 100}%`,
      efficiency(name),
      goal,
      windowRates(results.ours[name]).map((perSecond) => efficiency(name, perSecond)!),
    );
  // Against the hello-world windows measured in turn with the scenario, when there are some.
  const helloResult = (name: string) => results.helloBeside?.[name] ?? results.hello;
  const versusPeer = (name: string, goal: number, label = '') =>
    check(
      `${name} >= ${goal}x peer${label}`,
      ratio(rate(results.ours, name), rate(results.peer, name)),
      goal,
      pairedRatios(results.ours[name], results.peer[name]),
    );
  const versusHello = (name: string) =>
    check(
      `${name} >= 0.8x hello`,
      ratio(rate(results.ours, name), helloResult(name)?.requestsPerSecond),
      0.8,
      pairedRatios(results.ours[name], results.helloBeside?.[name]),
    );
  const checks = [
    versusPeer('discovery', 3),
    versusHello('discovery'),
    versusPeer('jwks', 3),
    versusHello('jwks'),
    versusPeer('client_credentials', 1.5),
    efficiencyCheck('client_credentials', 0.8),
    efficiencyCheck('refresh', 0.75),
    versusPeer('introspection', 1.2, ' (opaque)'),
    // Issue 31: the high-security clients' requests, each at least 1.2x the peer.
    versusPeer('private_key_jwt', 1.2),
    versusPeer('dpop', 1.2),
    versusPeer('par', 1.2),
    check(
      'login >= 0.9x argon2 hashes/s',
      ratio(rate(results.ours, 'login'), crypto('login')?.argon2HashesPerSecond),
      0.9,
    ),
  ];
  // Both cores against one, for the token endpoint's grants, from windows taken in turn.
  for (const name of TOKEN_ENDPOINT) {
    const workers = rate(results.workers ?? {}, name);
    if (workers !== undefined)
      checks.push(
        check(
          `${name} on every core >= 1.7x one core`,
          ratio(workers, rate(results.ours, name)),
          1.7,
          pairedRatios(results.workers?.[name], results.ours[name]),
        ),
      );
  }
  // p99 within 4x p50: the value is p50 * 4 / p99, so that >= 1 means met like the others.
  for (const [name, result] of Object.entries(results.ours)) {
    checks.push(
      check(`${name} p99 <= 4x p50`, result.p99 > 0 ? (4 * result.p50) / result.p99 : undefined, 1),
    );
  }
  return checks;
}

/** The scenarios served by the token endpoint, whose scaling over cores the issue sets a target for. */
const TOKEN_ENDPOINT = ['client_credentials', 'authorization_code', 'refresh'];

const number = (value: number | undefined, digits = 0) =>
  value === undefined ? '-' : value.toFixed(digits);
const ms = (value: number | undefined) =>
  value === undefined ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(1);

function pad(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join('  '),
    )
    .join('\n');
}

/** Another server of ours measured in turn with the one-core one: its rate, its CPU, and `ratio`. */
function besideCells(other: ScenarioResult | undefined, ratio: number | undefined): string[] {
  if (!other) return ['-', '-', '-'];
  const errors = other.errors ? ` (${other.errors} err)` : '';
  return [
    `${number(other.requestsPerSecond)}${errors}`,
    number(other.cpuMicrosPerRequest),
    ratio === undefined ? '-' : `${ratio.toFixed(2)}x`,
  ];
}

/** A target's value as printed: a percentage, a p99/p50 quotient or a ratio. */
function format(t: TargetCheck, value: number, digits: number): string {
  if (t.target.includes('efficiency')) return `${(value * 100).toFixed(digits - 2)}%`;
  if (t.target.includes('p99')) return `p99/p50 = ${(4 / value).toFixed(2)}`;
  return `${value.toFixed(digits)}x`;
}

/** The summary table (one row per scenario) and the target lines, as printed at the end. */
export function renderReport(results: BenchResults, scenarioOrder: readonly string[]): string {
  // PostgreSQL and Redis run in their own processes: their CPU per request gets a column of its own.
  const database = Object.values(results.ours).some(
    (result) => result.databaseMicrosPerRequest >= 1,
  );
  const workers =
    results.workers && Object.keys(results.workers).length ? results.workers : undefined;
  const baseline =
    results.baseline && Object.keys(results.baseline).length ? results.baseline : undefined;
  const count = Number(results.options.workers ?? 0);
  const workerColumns = [
    ...(workers ? [`${count} workers req/s`, 'CPU µs/req', 'x one core'] : []),
    ...(baseline ? ['baseline req/s', 'CPU µs/req', 'ours/baseline'] : []),
  ];
  const header = [
    'scenario',
    'ours req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'CPU µs/req',
    ...(database ? ['+ stores µs/req'] : []),
    ...workerColumns,
    'peer req/s',
    'peer p50',
    'peer p99',
    'ours/peer',
  ];
  const rows: string[][] = [header];
  for (const name of scenarioOrder) {
    const ours = name === 'hello' ? results.hello : results.ours[name];
    const peer = results.peer[name];
    if (!ours && !peer) continue;
    rows.push([
      name,
      number(ours?.requestsPerSecond),
      ms(ours?.p50),
      ms(ours?.p99),
      number(ours?.errors),
      number(ours?.cpuMicrosPerRequest),
      ...(database ? [number(ours?.databaseMicrosPerRequest)] : []),
      ...(workers
        ? besideCells(
            workers[name],
            ratio(workers[name]?.requestsPerSecond, ours?.requestsPerSecond),
          )
        : []),
      ...(baseline
        ? besideCells(
            baseline[name],
            ratio(ours?.requestsPerSecond, baseline[name]?.requestsPerSecond),
          )
        : []),
      peer ? `${number(peer.requestsPerSecond)}${peer.errors ? ` (${peer.errors} err)` : ''}` : '-',
      ms(peer?.p50),
      ms(peer?.p99),
      ours && peer ? `${(ours.requestsPerSecond / peer.requestsPerSecond).toFixed(2)}x` : '-',
    ]);
  }
  const lines = [pad(rows), ''];
  if (results.crypto) {
    const c = results.crypto;
    lines.push(
      `server core alone: jose RS256 ${number(c.rs256SignsPerSecond)} signs/s, ${number(c.rs256VerifiesPerSecond)} verifies/s; argon2id (19 MiB, t=2, p=1) ${number(c.argon2HashesPerSecond, 1)} hashes/s one at a time, ${number(c.argon2HashesPerSecondFourAtOnce, 1)} four at a time`,
    );
    const again = Object.entries(results.cryptoAround ?? {}).map(
      ([name, { before, after }]) =>
        `${name} ${number(before.rs256SignsPerSecond)} / ${number(after.rs256SignsPerSecond)} signs/s, ${number(before.argon2HashesPerSecond, 1)} / ${number(after.argon2HashesPerSecond, 1)} hashes/s`,
    );
    if (again.length)
      lines.push(
        `measured again before / after each (the targets use the higher): ${again.join('; ')}`,
      );
    lines.push('');
  }
  for (const failure of Object.entries(results.failures))
    lines.push(`NOT MEASURED ${failure[0]}: ${failure[1]}`);
  for (const t of results.targets ?? []) {
    const verdict = t.met === undefined ? 'n/a   ' : t.met ? 'MET   ' : 'MISSED';
    // A value just under its goal gets a third decimal, so that it cannot read as the goal itself.
    const digits = t.value !== undefined && t.value < t.goal && t.value >= t.goal * 0.99 ? 3 : 2;
    const shown = t.value === undefined ? '-' : format(t, t.value, digits);
    const windows = t.windows
      ? `  windows: ${t.windows.map((value) => format(t, value, 2)).join(', ')}`
      : '';
    lines.push(`${verdict} ${t.target.padEnd(52)} ${windows ? shown.padEnd(9) : shown}${windows}`);
  }
  return lines.join('\n');
}
