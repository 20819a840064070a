import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { freePort } from '../support/free-port.js';
import { repositoryRoot } from '../support/paths.js';
import { waitFor } from '../support/wait-for.js';

/** Every process below `pid`, from /proc (Linux), with its arguments. */
async function descendants(pid: number): Promise<{ pid: number; argv: string[] }[]> {
  const children: number[] = [];
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    children.push(...text.split(' ').filter(Boolean).map(Number));
  }
  const found = [];
  for (const child of children) {
    const argv = (await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')).split('\0');
    found.push({ pid: child, argv }, ...(await descendants(child)));
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

test('issue 29 item 17: SIGTERM to `pnpm start` stops the server; nothing is left listening', async () => {
  const database = await scratchDatabase('sqlite');
  const port = await freePort();
  const env = await isolatedEnvironment({
    DATABASE_URL: database.url,
    IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const pnpm = spawn('pnpm', ['start'], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  pnpm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  pnpm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let below: { pid: number; argv: string[] }[] = [];
  try {
    await waitFor(
      () => output.includes('identity provider ready'),
      `pnpm start to serve:\n${output}`,
      180_000,
    );
    below = await descendants(pnpm.pid!);
    // The node process itself, not a shell whose command line mentions it.
    const serverPid = below.find(
      (p) => /\bnode$/.test(p.argv[0]!) && p.argv[1] === 'apps/idp/dist/main.js',
    )?.pid;
    assert.ok(serverPid, `the server runs below pnpm: ${JSON.stringify(below)}`);
    assert.ok(await accepts(port));

    const exited = once(pnpm, 'exit');
    pnpm.kill('SIGTERM');
    await waitFor(() => !alive(serverPid), `server process ${serverPid} to exit`, 5_000);
    await waitFor(async () => !(await accepts(port)), `port ${port} to be free`, 5_000);
    await exited;
    assert.match(output, /"msg":"stopped"/, 'the server drained and stopped');
  } finally {
    // Never leave a server behind (nor its pipes, which would keep this test waiting), whatever failed above.
    for (const { pid } of below) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (pnpm.exitCode === null) pnpm.kill('SIGKILL');
    pnpm.stdout.destroy();
    pnpm.stderr.destroy();
    await database.drop();
  }
});
