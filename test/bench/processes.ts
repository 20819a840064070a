import { execFileSync, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The core the load generator (this process) runs on, and the one every measured server gets alone. */
export const LOAD_CORE = 0;
export const SERVER_CORE = 1;
/** Both cores, for a server in worker mode (IDP_WORKERS=2): it then shares core 0 with the load generator. */
export const ALL_CORES = '0,1';

/** Every child still running, so that an error or Ctrl-C anywhere can end them all. */
const running = new Set<ChildProcess>();

/**
 * Pins this process and all its threads to the load core. Children inherit the mask, so a server
 * must be started through `taskset` to move to its own core.
 */
export function pinSelfToLoadCore(): void {
  execFileSync('taskset', ['-a', '-cp', String(LOAD_CORE), String(process.pid)], {
    stdio: 'ignore',
  });
}

/** The cores a process may run on, as taskset prints them ("1", "0,1"). */
export function affinityOf(pid: number): string {
  return execFileSync('taskset', ['-cp', String(pid)], { encoding: 'utf8' })
    .split(':')
    .pop()!
    .trim();
}

export interface PinnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout and stderr so far, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Node's flags for a CPU profile written into `dir` on exit; none without a `dir`. */
export function cpuProfileFlags(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/**
 * Starts `node <args>` on the server core. taskset execs node, so the pid is node's own and its
 * /proc/<pid>/stat is the server's CPU time.
 */
export function spawnPinned(
  nodeArgs: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; ipc?: boolean; cores?: string },
): PinnedProcess {
  const stdio: StdioOptions = options.ipc
    ? ['ignore', 'pipe', 'pipe', 'ipc']
    : ['ignore', 'pipe', 'pipe'];
  const child = spawn(
    'taskset',
    ['-c', options.cores ?? String(SERVER_CORE), process.execPath, ...nodeArgs],
    { env: options.env, cwd: options.cwd, stdio },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on(
    'data',
    (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)),
  );
  // For V8 experiments (`BENCH_NODE_FLAGS=--trace-gc BENCH_SERVER_LOG=gc.log pnpm bench ...`).
  if (process.env.BENCH_SERVER_LOG)
    child.stdout!.pipe(createWriteStream(process.env.BENCH_SERVER_LOG, { flags: 'a' }));
  child.stderr!.on(
    'data',
    (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)),
  );
  return {
    child,
    pid: child.pid!,
    output: () => output,
    stop: (graceMs = 10_000) => stopChild(child, graceMs),
  };
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Ends every child this process started (used on errors and on Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child, 5_000)));
}

/** Polls `url` until it answers 200, failing with the process's output if it exits or takes too long. */
export async function waitUntilReady(
  url: string,
  server: PinnedProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(
        `process exited with ${server.child.exitCode} before it was ready:\n${server.output()}`,
      );
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline)
      throw new Error(`${url} not ready after ${timeoutMs} ms:\n${server.output()}`);
    await sleep(100);
  }
}

const TICKS_PER_SECOND =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * User plus system CPU time of a process and all its threads (argon2's thread pool included), in
 * microseconds, from /proc/<pid>/stat. Resolution is one clock tick (10 ms), fine over a window
 * of seconds.
 */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) / TICKS_PER_SECOND) * 1e6;
}

/** `pid` and every process it started, found through /proc (a cluster primary and its workers). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** CPU time of `pid` and its descendants (see `cpuMicros`), in microseconds. */
export function treeCpuMicros(pid: number): number {
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      total += cpuMicros(member);
    } catch {
      // Exited between the listing and the read.
    }
  }
  return total;
}

/** Resident memory of `pid` and its descendants, in bytes (VmRSS of /proc/<pid>/status). */
export function treeRssBytes(pid: number): number {
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      total += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // Exited between the listing and the read.
    }
  }
  return total;
}

/** CPU time every process on the machine has used (all cores, idle and I/O wait excluded), in microseconds. */
export function machineBusyMicros(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const ticks = fields.map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return ((total - idle) / TICKS_PER_SECOND) * 1e6;
}

/**
 * Waits until the rest of the machine has been quiet (less than `threshold` of a core busy over
 * half a second) so that a window starts undisturbed, giving up after `maxWaitMs`. Called between
 * windows, when the measured server is idle. Returns how long it waited.
 */
export async function waitForQuietMachine(threshold: number, maxWaitMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const before = machineBusyMicros();
    await sleep(500);
    const busyCores = (machineBusyMicros() - before) / 500_000;
    if (busyCores < threshold || Date.now() - start > maxWaitMs) return Date.now() - start;
  }
}

/**
 * CPU time of each process named `command` (PostgreSQL's backends: `postgres`), in microseconds,
 * by pid. The database server is not pinned: its work is measured apart, so that it is neither
 * charged to our server nor taken for other work disturbing the window.
 */
export function processesCpuMicros(commands: readonly string[]): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!commands.includes(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(
        Number(entry),
        ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6,
      );
    } catch {
      // The process ended meanwhile.
    }
  }
  return byPid;
}

/**
 * CPU those processes used between two readings. Per process, because a backend that ends during
 * the window (a pool closing an idle connection) takes its whole CPU time out of a plain sum,
 * which could then go negative: what an ended process used in the window is lost (an undercount,
 * small next to the window), and a process that started in it counts from zero.
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let micros = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? 0;
    // A lower reading is a new process that reused the pid.
    micros += now >= then ? now - then : now;
  }
  return micros;
}
