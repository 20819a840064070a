/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, written by `pnpm bench --cpu-prof`): the
 * functions with the most self time, and self time by where the code lives (our packages, each
 * dependency, Node internals, garbage collection). `pnpm bench --cpu-prof` limits each profile to
 * the samples taken inside its server's timed windows (start-up, seeding and warm-up left out) and
 * prints the main thread's time per request. Run by itself on a file or a folder (whole profiles):
 *
 *   node --import tsx bench/profile.ts <profile.cpuprofile | folder> [--top 25]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

/** The parts of the .cpuprofile format (Chrome DevTools Protocol `Profile`) used here. */
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds on the monotonic clock, the one `process.hrtime` reads in every process. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A timed window of the bench, on the monotonic clock in microseconds, and the responses in it. */
export interface TimedWindow {
  readonly startMicros: number;
  readonly endMicros: number;
  readonly requests: number;
}

/** Self time per function and per code location, in microseconds, idle time left out. */
export interface ProfileSummary {
  readonly totalMicros: number;
  /** Responses in the windows the samples were limited to; undefined for a whole profile. */
  readonly requests: number | undefined;
  readonly functions: readonly {
    readonly name: string;
    readonly where: string;
    readonly micros: number;
  }[];
  readonly locations: readonly { readonly where: string; readonly micros: number }[];
  readonly categories: readonly { readonly where: string; readonly micros: number }[];
  /**
   * Self time charged to the nearest function of ours (packages/*, apps/idp) on the stack: what
   * each of our functions costs with everything it calls (Prisma, jose, ...), our own code
   * between them excluded, so the entries add up. CPU profiles hold no async stacks: work resumed
   * after an await (most of Prisma's) has none of our frames below it.
   */
  readonly ours: readonly {
    readonly name: string;
    readonly where: string;
    readonly micros: number;
  }[];
}

const OURS = /\/(packages\/[^/]+|apps\/idp)\/dist\//;

/** Where a script lives, shortened: `@idp/oidc`, `fastify`, `node:internal`, `(gc)`. */
function location(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node:internal';
  const dependency =
    /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ??
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const workspace = /\/(packages\/[^/]+|apps\/[^/]+|test)\//.exec(url);
  return workspace ? workspace[1]! : url;
}

/** A coarse bucket for a script, to say what a scenario's CPU goes to. */
function category(url: string, functionName: string): string {
  const where = location(url, functionName);
  if (url.startsWith('node:internal/crypto') || where === 'jose')
    return "crypto on the main thread (jose, hashes, webcrypto's argument handling)";
  if (
    /^(@prisma\/|wasm:|better-sqlite3|pg|pg-|postgres-array)|^packages\/db$/.test(where) ||
    url.startsWith('wasm://')
  )
    return 'database (Prisma, its WebAssembly query compiler, driver)';
  if (where === 'argon2') return 'argon2';
  if (/^(pino|@pinojs\/|sonic-boom|fast-redact)/.test(where))
    return 'logging (pino child loggers, redaction)';
  if (
    /^(fastify|@fastify\/|find-my-way|avvio|light-my-request|fast-json-stringify|fast-querystring|secure-json-parse|toad-cache)/.test(
      where,
    )
  )
    return 'Fastify and its plugins (CORS, cookies, helmet, rate limit)';
  if (/^(packages\/|apps\/)/.test(where))
    return 'our code (apps/idp, packages/oidc, packages/keys)';
  if (where === '(garbage collector)') return 'garbage collection';
  if (where === 'node:internal' || where === '(native)' || where === '(program)')
    return 'Node.js HTTP, streams, timers, syscalls';
  return 'other';
}

function shortUrl(url: string): string {
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/(?!\.pnpm)(.+)$/.exec(path);
  if (inPackage) return inPackage[1]!;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return path.startsWith(root) ? relative(root, path) : path;
}

/**
 * Where a threadpool crypto job is started: webcrypto's promise executor (`jobPromise`, jose's
 * verification) and `crypto.sign` with a callback (`signOneShot`, our signing). On one core the
 * threadpool thread that the job wakes pre-empts the main thread right there, so the samples
 * taken while the RSA work runs land on this frame: its "self time" is mostly the RSA work itself.
 * At login the job started is the interaction's AES-GCM decryption, and what holds the core
 * meanwhile is the pool's argon2 hashing: the label names the pool's work, not the job.
 */
const CRYPTO_JOB =
  "crypto job start (on one core: mostly the threadpool's work, RSA signatures or argon2 hashes, pre-empting the main thread here)";

function startsCryptoJob(node: ProfileNode, caller: string | undefined): boolean {
  const { url, functionName } = node.callFrame;
  return (
    (caller === 'jobPromise' && url.startsWith('node:internal/crypto')) ||
    (url === 'node:internal/crypto/sig' && functionName === 'signOneShot')
  );
}

/**
 * Self time by function and by location, from the samples and their time deltas; with `windows`,
 * only the samples taken inside them count.
 */
export function summarize(profile: CpuProfile, windows?: readonly TimedWindow[]): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, { name: string; where: string; micros: number }>();
  const byLocation = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const byOurs = new Map<string, { name: string; where: string; micros: number }>();
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  let total = 0;
  let at = profile.startTime;
  const inWindow = (time: number) =>
    !windows || windows.some((window) => time >= window.startMicros && time < window.endMicros);
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    at += profile.timeDeltas[index] ?? 0;
    // A sample's time is the delta to the next one; the first delta is the gap before it.
    const micros = profile.timeDeltas[index + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)' || !inWindow(at)) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = byFunction.get(key) ?? { name, where, micros: 0 };
    entry.micros += micros;
    byFunction.set(key, entry);
    const place = location(url, functionName);
    byLocation.set(place, (byLocation.get(place) ?? 0) + micros);
    const caller = nodes.get(parents.get(node.id) ?? -1)?.callFrame.functionName;
    const bucket = startsCryptoJob(node, caller) ? CRYPTO_JOB : category(url, functionName);
    byCategory.set(bucket, (byCategory.get(bucket) ?? 0) + micros);
    let frame: ProfileNode | undefined = node;
    while (frame && !OURS.test(frame.callFrame.url)) frame = nodes.get(parents.get(frame.id) ?? -1);
    const ours = frame
      ? {
          name: frame.callFrame.functionName || '(anonymous)',
          where: `${shortUrl(frame.callFrame.url)}:${frame.callFrame.lineNumber + 1}`,
        }
      : { name: '(none of ours on the stack: async continuations, HTTP, GC)', where: '' };
    const oursKey = `${ours.name} ${ours.where}`;
    const oursEntry = byOurs.get(oursKey) ?? { ...ours, micros: 0 };
    oursEntry.micros += micros;
    byOurs.set(oursKey, oursEntry);
    total += micros;
  });
  return {
    totalMicros: total,
    requests: windows?.reduce((sum, window) => sum + window.requests, 0),
    functions: [...byFunction.values()].sort((a, b) => b.micros - a.micros),
    locations: [...byLocation]
      .map(([where, micros]) => ({ where, micros }))
      .sort((a, b) => b.micros - a.micros),
    categories: [...byCategory]
      .map(([where, micros]) => ({ where, micros }))
      .sort((a, b) => b.micros - a.micros),
    ours: [...byOurs.values()].sort((a, b) => b.micros - a.micros),
  };
}

async function profilesIn(path: string): Promise<string[]> {
  if (path.endsWith('.cpuprofile')) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.cpuprofile'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * A printable summary of every profile under `path` (a file or a folder). `windowsOf` gives, for a
 * profile's file, the timed windows of the server that wrote it; a profile is then limited to
 * those that fall within its lifetime, and one without any is left out.
 */
export async function summarizeProfile(
  path: string,
  top = 25,
  windowsOf?: (file: string) => readonly TimedWindow[],
): Promise<string> {
  const lines: string[] = [];
  for (const file of await profilesIn(path)) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const windows = windowsOf?.(file).filter(
      (window) => window.startMicros >= profile.startTime && window.endMicros <= profile.endTime,
    );
    if (windows && !windows.length) continue;
    const summary = summarize(profile, windows);
    // A helper thread's profile (the WAL checkpointer) is all but empty inside the windows.
    if (windows && summary.totalMicros < 10_000) continue;
    const percent = (micros: number) =>
      `${((micros / summary.totalMicros) * 100).toFixed(1).padStart(5)} %`;
    const perRequest = (micros: number) =>
      summary.requests ? `${(micros / summary.requests).toFixed(0).padStart(6)} µs/req  ` : '';
    lines.push(
      `profile ${file} (${(summary.totalMicros / 1e6).toFixed(1)} s busy` +
        (summary.requests
          ? ` in ${windows!.length} timed windows, ${summary.requests} responses: ${(summary.totalMicros / summary.requests).toFixed(0)} µs of this process's main thread per response`
          : '') +
        ')',
    );
    lines.push('  self time by kind of work:');
    for (const entry of summary.categories)
      lines.push(`    ${percent(entry.micros)}  ${perRequest(entry.micros)}${entry.where}`);
    lines.push('  self time by location:');
    for (const entry of summary.locations.slice(0, 12))
      lines.push(`    ${percent(entry.micros)}  ${entry.where}`);
    lines.push('  charged to the nearest function of ours (with what it calls):');
    for (const entry of summary.ours.slice(0, 12))
      lines.push(`    ${percent(entry.micros)}  ${entry.name}  ${entry.where}`);
    lines.push(`  top ${top} functions by self time:`);
    for (const entry of summary.functions.slice(0, top))
      lines.push(`    ${percent(entry.micros)}  ${entry.name}  ${entry.where}`);
    lines.push('');
  }
  return lines.length ? lines.join('\n') : `no .cpuprofile under ${path}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  if (positionals.length === 0)
    throw new Error('usage: profile.ts <file.cpuprofile | folder> [--top N]');
  for (const path of positionals)
    process.stdout.write(`${await summarizeProfile(path, Number(values.top))}\n`);
}
