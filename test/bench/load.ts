import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { cpuBetween, machineBusyMicros, processesCpuMicros, treeCpuMicros } from './processes.js';

/** One HTTP request as autocannon sends it. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * What a scenario sends:
 * - `fixed`: the same request again and again, for the whole window;
 * - `queue`: single-use items (codes, tokens to revoke) made before each window, one per
 *   request; the window ends after `duration` or when the queue is used up;
 * - `chain`: items that each response replaces (rotating refresh tokens): a shared pool holding
 *   more items than there are connections, so a connection always finds one.
 */
export type Load =
  | { readonly kind: 'fixed'; readonly request: HttpRequest }
  | {
      readonly kind: 'queue';
      produce(count: number): Promise<string[]>;
      request(item: string): HttpRequest;
    }
  | {
      readonly kind: 'chain';
      seeds(count: number): Promise<string[]>;
      request(item: string): HttpRequest;
      successor(body: string): string | undefined;
    };

/** The measurements of one timed window. */
export interface WindowResult {
  /** Responses received (any status). */
  readonly requests: number;
  /** From the first request to the last response. */
  readonly seconds: number;
  /** The same span on the monotonic clock, in microseconds (that of `--cpu-prof` profiles). */
  readonly startMicros: number;
  readonly endMicros: number;
  readonly requestsPerSecond: number;
  /** Latency percentiles in milliseconds (hrtime, every response). */
  readonly p50: number;
  readonly p99: number;
  /** Responses of another status class than expected, socket errors and timeouts. */
  readonly errors: number;
  /** Server CPU time (user + system, all threads) per response, in microseconds. */
  readonly cpuMicrosPerRequest: number;
  /** Share of one core the server used, and the load generator (this process): 1 = saturated. */
  readonly serverCpuShare: number;
  readonly loadCpuShare: number;
  /**
   * Everything else the machine ran meanwhile (other processes, the kernel's loopback work), in
   * cores: well above 0.1 means the numbers were disturbed.
   */
  readonly otherCpuShare: number;
  /** PostgreSQL's backends' CPU time per response (0 on SQLite, which runs inside the server). */
  readonly databaseMicrosPerRequest: number;
  /** Responses by status code, for diagnosis. */
  readonly statuses: Record<string, number>;
  /** A queue ran out before the window's duration (it then ended early). */
  readonly queueExhausted: boolean;
  /** The first unexpected answer of a queue or chain window (fixed loads are checked by preflight). */
  readonly errorSample?: string;
}

export interface WindowOptions {
  readonly url: string;
  /** The server process; its CPU time and that of its children (cluster workers) is charged to the requests. */
  readonly serverPid: number;
  readonly connections: number;
  readonly seconds: number;
  /** 2 when a 2xx answer is success, 3 for a redirect (login). */
  readonly expect: 2 | 3;
  /**
   * Processes of the stores apart from ours (PostgreSQL's "postgres", Redis's "redis-server")
   * whose CPU is measured apart.
   */
  readonly databaseProcesses?: readonly string[] | undefined;
}

/**
 * Runs one window of `load` against the server with autocannon in this process (pinned to the
 * load core), measuring latency and status per response and the server's CPU time around it.
 * `state` carries a chain's pool from one window to the next.
 */
export async function runWindow(
  load: Load,
  options: WindowOptions,
  state: LoadState,
): Promise<WindowResult> {
  let errorSample: string | undefined;
  const noteAnswer = (status: number, body: string) => {
    if (errorSample === undefined && Math.floor(status / 100) !== options.expect)
      errorSample = `${status} ${body.slice(0, 300)}`;
  };
  const { requests, amount } = await prepare(load, options, state, noteAnswer);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let unexpected = 0;
  let lastResponse = 0;

  const cpuBefore = treeCpuMicros(options.serverPid);
  const databaseCpu = () =>
    options.databaseProcesses?.length
      ? processesCpuMicros(options.databaseProcesses)
      : new Map<number, number>();
  const databaseBefore = databaseCpu();
  const machineBefore = machineBusyMicros();
  const selfBefore = process.cpuUsage();
  const start = performance.now();
  const startMicros = monotonicMicros();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        requests,
        ...(amount ? { amount } : {}),
      },
      (error: unknown, done: autocannon.Result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    // The typings leave out the client argument autocannon passes first.
    (instance as EventEmitter).on(
      'response',
      (_client: unknown, status: number, _bytes: number, ms: number) => {
        latencies.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (Math.floor(status / 100) !== options.expect) unexpected += 1;
        lastResponse = performance.now();
      },
    );
    // With `amount` autocannon ignores `duration`: stop it ourselves so every window stays bounded.
    if (amount) setTimeout(() => instance.stop(), options.seconds * 1000).unref();
  });
  const end = lastResponse || performance.now();
  const seconds = (end - start) / 1000;
  const serverCpu = treeCpuMicros(options.serverPid) - cpuBefore;
  const self = process.cpuUsage(selfBefore);
  const selfMicros = self.user + self.system;
  const databaseMicros = cpuBetween(databaseBefore, databaseCpu());
  const otherMicros = machineBusyMicros() - machineBefore - serverCpu - selfMicros - databaseMicros;

  latencies.sort((a, b) => a - b);
  const count = latencies.length;
  return {
    requests: count,
    seconds,
    requestsPerSecond: count / seconds,
    startMicros,
    endMicros: startMicros + (end - start) * 1000,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: unexpected + result.errors,
    cpuMicrosPerRequest: count ? serverCpu / count : 0,
    serverCpuShare: serverCpu / 1e6 / seconds,
    loadCpuShare: selfMicros / 1e6 / seconds,
    otherCpuShare: Math.max(0, otherMicros) / 1e6 / seconds,
    databaseMicrosPerRequest: count ? databaseMicros / count : 0,
    statuses,
    queueExhausted: amount !== undefined && count >= amount && seconds < options.seconds * 0.95,
    ...(errorSample ? { errorSample } : {}),
  };
}

/** What a load keeps between its windows: a chain's pool, and the last measured rate. */
export interface LoadState {
  pool: string[];
  /** Requests per second of the previous window, to size the next queue. */
  rate: number | undefined;
}

/** Upper bound on one window's queue (the peer revokes about 5000 tokens a second). */
export const MAX_QUEUE = 80_000;
/** Queue size per second of the first (warm-up) window, before any rate is known. */
const PROBE_RATE = 1_500;

async function prepare(
  load: Load,
  options: WindowOptions,
  state: LoadState,
  noteAnswer: (status: number, body: string) => void,
): Promise<{ requests: autocannon.Request[]; amount?: number }> {
  if (load.kind === 'fixed') return { requests: [load.request] };

  if (load.kind === 'queue') {
    // Enough for the window at the last rate plus a margin; the first window probes.
    const wanted = Math.ceil((state.rate ?? PROBE_RATE) * options.seconds * 1.5);
    const count = Math.max(options.connections * 2, Math.min(MAX_QUEUE, wanted));
    const queue = await load.produce(count);
    let next = 0;
    return {
      amount: queue.length,
      // autocannon stops after `amount` responses, so the queue lasts; past its end (a retry
      // after a timeout) the last item is sent again and counts as an error.
      requests: [
        {
          setupRequest: (defaults) => ({
            ...defaults,
            ...load.request(queue[Math.min(next++, queue.length - 1)]!),
          }),
          onResponse: noteAnswer,
        },
      ],
    };
  }

  // A chain: top the pool up to twice the connections (some may have broken on an error).
  const missing = options.connections * 2 - state.pool.length;
  if (missing > 0) state.pool.push(...(await load.seeds(missing)));
  let last = state.pool[0]!;
  return {
    requests: [
      {
        setupRequest: (defaults) => {
          // A connection sends its next request only after its response was handled, so the
          // pool never runs dry while it holds more items than there are connections. Should
          // errors have broken that many chains, a used item is resent and counts as an error.
          last = state.pool.shift() ?? last;
          return { ...defaults, ...load.request(last) };
        },
        onResponse: (status: number, body: string) => {
          noteAnswer(status, body);
          const next = status === 200 ? load.successor(body) : undefined;
          if (next) state.pool.push(next);
        },
      },
    ],
  };
}

function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Sends one request of `load` outside any window and returns the answer, so that a scenario
 * whose setup is wrong (an inactive token, a refused code) fails loudly instead of measuring
 * how fast the server says no. A chain's item is replaced by its successor in `state`.
 */
export async function preflight(
  load: Load,
  baseUrl: string,
  state: LoadState,
): Promise<{ status: number; body: string }> {
  let request: HttpRequest;
  if (load.kind === 'fixed') request = load.request;
  else if (load.kind === 'queue') request = load.request((await load.produce(1))[0]!);
  else request = load.request((await load.seeds(1))[0]!);
  const { status, body } = await send(request, baseUrl);
  if (load.kind === 'chain') {
    const next = load.successor(body);
    if (next) state.pool.push(next);
  }
  return { status, body };
}

/** Sends one request with fetch, redirects not followed. */
export async function send(
  request: HttpRequest,
  baseUrl: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    redirect: 'manual',
    ...(request.headers ? { headers: request.headers } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  return { status: response.status, body: await response.text() };
}
