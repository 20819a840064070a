import { fileURLToPath } from 'node:url';
import { pkce } from '../support/flow.js';
import { freePort } from '../support/free-port.js';
import { inParallel, readEndpoints, tokenRequest } from './http.js';
import type { MintRequest } from './peer-server.js';
import { cpuProfileFlags, spawnPinned } from './processes.js';
import { ASSERTION_PUBLIC_JWK } from './client-keys.js';
import { BENCH, webAuth } from './fixture.js';
import type { ServerTarget } from './scenarios.js';

const PEER_SERVER = fileURLToPath(new URL('./peer-server.ts', import.meta.url));

type MintReply = { id: number; items?: string[]; error?: string } | { ready: true };

/**
 * node-oidc-provider in its own process on the server core (peer-server.ts), with the same
 * scenarios' items minted through its Provider API over IPC. Its refresh tokens come from real
 * code exchanges over HTTP.
 */
export async function startPeer(
  options: { cpuProfileDir?: string | undefined } = {},
): Promise<ServerTarget> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnPinned(
    [...cpuProfileFlags(options.cpuProfileDir), '--import', 'tsx', PEER_SERVER, String(port)],
    {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        // The public key of the private_key_jwt client, generated for this run (client-keys.ts).
        BENCH_ASSERTION_JWK: JSON.stringify(ASSERTION_PUBLIC_JWK),
      },
      // The test package, where `--import tsx` resolves.
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      ipc: true,
    },
  );
  const pending = new Map<number, { resolve(items: string[]): void; reject(error: Error): void }>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    server.child.on('message', (reply: MintReply) => {
      if ('ready' in reply) return resolve();
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.items) waiting?.resolve(reply.items);
      else waiting?.reject(new Error(`peer mint failed: ${reply.error}`));
    });
    server.child.once('exit', (code) =>
      reject(new Error(`peer exited with ${code} before it was ready:\n${server.output()}`)),
    );
  });

  const { verifier, challenge } = pkce();
  const mint = (kind: MintRequest['kind'], count: number) =>
    new Promise<string[]>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      server.child.send({ id, kind, count, codeChallenge: challenge } satisfies MintRequest);
    });
  const endpoints = await readEndpoints(url, '/.well-known/openid-configuration');
  const tokenUrl = new URL(endpoints.token, url).href;
  const opaque = async () => (await mint('opaqueAccessTokens', 1))[0]!;

  return {
    name: 'peer',
    url,
    pid: server.pid,
    endpoints,
    codeVerifier: verifier,
    codes: (count) => mint('codes', count),
    refreshTokens: async (count) => {
      const codes = await mint('codes', count);
      return inParallel(count, 8, async () => {
        const fields = {
          grant_type: 'authorization_code',
          code: codes.pop()!,
          redirect_uri: BENCH.callback,
          code_verifier: verifier,
        };
        return (await tokenRequest(tokenUrl, fields, webAuth)).refresh_token!;
      });
    },
    // Its JWT access tokens are for the API resource; userinfo takes only its opaque ones.
    userinfoToken: opaque,
    introspectionToken: opaque,
    revocableTokens: (count) => mint('opaqueAccessTokens', count),
    revokingClient: webAuth,
    close: () => server.stop(),
  };
}
