import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cliEntry, repositoryRoot, serverEntry } from './paths.js';

export interface SpawnedServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the process wrote to stdout so far (JSON log lines). */
  output(): string;
  /** The complete lines of that output: the last one may still be arriving through the pipe. */
  logLines(): string[];
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `node apps/idp/dist/main.js` on an ephemeral loopback port and waits for its
 * "identity provider ready" log line, which carries the URL it listens on.
 */
export async function spawnServer(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [serverEntry], {
    cwd: repositoryRoot,
    // Info level: the ready line carries the URL, and tests read the request logs.
    env: { PORT: '0', HOST: '127.0.0.1', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    const onData = () => {
      for (const line of stdout.split('\n')) {
        if (!line.includes('identity provider ready')) continue;
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve((JSON.parse(line) as { url: string }).url);
        return;
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${stdout}${stderr}`));
    });
  });
  return {
    url,
    process: child,
    output: () => stdout,
    logLines: () => stdout.split('\n').slice(0, -1),
    async stop(signal = 'SIGTERM') {
      // Exited already (a signal leaves exitCode null and sets signalCode).
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a process to completion, optionally feeding stdin; `timeoutMs` kills it (SIGKILL) if it runs longer. */
export async function run(
  args: readonly string[],
  env: Record<string, string>,
  options: { stdin?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const child = spawn(args[0]!, args.slice(1), {
    cwd: options.cwd ?? repositoryRoot,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Runs the built `idp` CLI (what `pnpm idp` runs after its build check). */
export function idp(
  args: readonly string[],
  env: Record<string, string>,
  options: { stdin?: string; cwd?: string } = {},
) {
  return run([process.execPath, cliEntry, ...args], env, options);
}
