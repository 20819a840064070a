import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseForm, TestBrowser } from '../support/browser.js';
import { keyEncryptionKey } from '../support/environment.js';
import { authorizeUrl, pkce, signIn } from '../support/flow.js';
import { freePort } from '../support/free-port.js';
import { builtEntries, repositoryRoot } from '../support/paths.js';
import { run } from '../support/processes.js';
import type { HttpRequest } from './load.js';
import { ALL_CORES, cpuProfileFlags, spawnPinned, waitUntilReady } from './processes.js';
import { ASSERTION_PUBLIC_JWK } from './client-keys.js';
import { BENCH, serviceAuth, webAuth } from './fixture.js';
import type { Endpoints, ServerTarget } from './scenarios.js';
import { inParallel, readEndpoints, tokenRequest } from './http.js';

/** The Redis a `--redis` run gives our server (IDP_REDIS_URL). */
const REDIS_SERVER = 'redis://127.0.0.1:6379';
/** The PostgreSQL server a `--db postgres` run creates its scratch database on. */
const POSTGRES_SERVER = 'postgresql://postgres@127.0.0.1:5432/test';

/** The bench's clients and user, imported through the CLI as an operator would. */
export const SEED = {
  clients: [
    {
      client_id: BENCH.web.id,
      client_name: 'Bench Web',
      client_secret: BENCH.web.secret,
      redirect_uris: [BENCH.callback],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: BENCH.scope,
      // First party: no consent page, so a signed-in browser gets a code in one request.
      first_party: true,
    },
    {
      client_id: BENCH.service.id,
      client_secret: BENCH.service.secret,
      grant_types: ['client_credentials'],
      scope: BENCH.service.scope,
      resources: [BENCH.resource],
    },
    {
      client_id: BENCH.keyed.id,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [ASSERTION_PUBLIC_JWK] },
      scope: BENCH.service.scope,
      resources: [BENCH.resource],
    },
    {
      client_id: BENCH.dpop.id,
      client_secret: BENCH.dpop.secret,
      grant_types: ['client_credentials'],
      dpop_bound_access_tokens: true,
      scope: BENCH.service.scope,
      resources: [BENCH.resource],
    },
  ],
  users: [
    {
      email: BENCH.user.email,
      password: BENCH.user.password,
      name: BENCH.user.name,
      email_verified: true,
    },
  ],
};

export interface OursOptions {
  readonly db: 'sqlite' | 'postgres';
  /** When set, the server runs with --cpu-prof and writes its profile here on exit. */
  readonly cpuProfileDir?: string | undefined;
  /** IDP_WORKERS; above 1 the server gets every core (the load generator's too). */
  readonly workers?: number;
  /** IDP_REDIS_URL set to the machine's Redis (`--redis`). */
  readonly redis?: boolean;
  /** A built checkout of the project to run instead of this one (`--baseline`). */
  readonly checkout?: string | undefined;
}

/**
 * Our server on a fresh database, seeded through the CLI, started pinned to the server core
 * with the settings of the issue (argon2 and login limits high enough not to throttle the bench).
 */
export async function startOurs(options: OursOptions): Promise<ServerTarget> {
  const scratch = await mkdtemp(join(tmpdir(), 'idp-bench-'));
  const database =
    options.db === 'sqlite'
      ? { url: `file:${join(scratch, 'idp.db')}`, drop: async () => {} }
      : await postgresDatabase();
  let server: ReturnType<typeof spawnPinned> | undefined;
  const close = async () => {
    await server?.stop();
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      IDP_ISSUER: issuer,
      DATABASE_URL: database.url,
      IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      IDP_KEYS_DIR: scratch,
      LOG_LEVEL: 'warn',
      // The highest values the settings accept: the bench logs in far more often than a person.
      IDP_LOGIN_RATE_LIMIT_PER_IP: '100000',
      IDP_LOGIN_FAILURES_PER_ACCOUNT: '10000',
      IDP_WORKERS: String(options.workers ?? 1),
      ...(options.redis ? { IDP_REDIS_URL: REDIS_SERVER } : {}),
      // glibc's allocator setting, passed through for memory experiments (`MALLOC_ARENA_MAX=2 pnpm bench:endurance`).
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
      ...(options.checkout ? {} : experimentEnv(process.env.BENCH_OURS_ENV)),
    };
    const seedFile = join(scratch, 'seed.json');
    // An older --baseline checkout may refuse the keyed and DPoP clients; it gets the two clients
    // every version imports, and only the scenarios that need no others compare with it.
    const seed = options.checkout ? { ...SEED, clients: SEED.clients.slice(0, 2) } : SEED;
    await writeFile(seedFile, JSON.stringify(seed));
    const root = options.checkout ?? repositoryRoot;
    const entries = builtEntries(root);
    const imported = await run([process.execPath, entries.cli, 'import', seedFile], env, {
      cwd: root,
    });
    if (imported.code !== 0) throw new Error(`seed import failed:\n${imported.stderr}`);

    // Node flags for experiments on the server alone (--trace-gc, --trace-opt, --max-semi-space-size=...);
    // like BENCH_OURS_ENV, never given to a --baseline checkout, so that an A/B isolates them.
    const extraFlags = options.checkout ? [] : words(process.env.BENCH_NODE_FLAGS);
    server = spawnPinned(
      [...cpuProfileFlags(options.cpuProfileDir), ...extraFlags, entries.server],
      { env, cwd: root, ...((options.workers ?? 1) > 1 ? { cores: ALL_CORES } : {}) },
    );
    await waitUntilReady(`${issuer}/readyz`, server);
    const endpoints = await readEndpoints(issuer, '/.well-known/openid-configuration');
    return oursTarget(
      issuer,
      server.pid,
      endpoints,
      close,
      options.checkout ? 'baseline' : (options.workers ?? 1) > 1 ? 'workers' : 'ours',
    );
  } catch (error) {
    await close();
    throw error;
  }
}

function words(value: string | undefined): string[] {
  return value?.split(' ').filter(Boolean) ?? [];
}

/** `BENCH_OURS_ENV="NAME=value NAME2=value2"` as environment entries for our server alone. */
function experimentEnv(value: string | undefined): Record<string, string> {
  return Object.fromEntries(
    words(value).map((pair) => {
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new Error(`BENCH_OURS_ENV: "${pair}" is not NAME=value`);
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
}

/** The scenarios' view of our server at `issuer` (signs in once, then makes items on demand). */
export async function oursTarget(
  issuer: string,
  pid: number,
  endpoints: Endpoints,
  close: () => Promise<void>,
  name: 'ours' | 'workers' | 'baseline' = 'ours',
): Promise<ServerTarget> {
  const { verifier, challenge } = pkce();
  const authorizeRequest = authorizeUrl(issuer, {
    client_id: BENCH.web.id,
    redirect_uri: BENCH.callback,
    response_type: 'code',
    scope: BENCH.scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const tokenUrl = new URL(endpoints.token, issuer).href;

  // One real login (argon2 and all) gives the browser session every later code comes from:
  // with it, GET /authorize for our first-party client answers with a code in one request.
  const browser = new TestBrowser();
  await signIn(browser, authorizeRequest, { user: BENCH.user, stopAt: BENCH.callback });

  const codes = (count: number) =>
    inParallel(count, 16, async () => {
      const response = await browser.request(authorizeRequest);
      const code = new URL(response.headers.get('location') ?? '', issuer).searchParams.get('code');
      if (!code)
        throw new Error(
          `no code from /authorize (status ${response.status}): ${await response.text()}`,
        );
      return code;
    });
  const exchange = async (code: string) =>
    tokenRequest(
      tokenUrl,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: BENCH.callback,
        code_verifier: verifier,
      },
      webAuth,
    );
  const accessToken = async () => (await exchange((await codes(1))[0]!)).access_token;

  return {
    name,
    url: issuer,
    pid,
    endpoints,
    codeVerifier: verifier,
    codes,
    refreshTokens: async (count) =>
      inParallel(count, 8, async () => (await exchange((await codes(1))[0]!)).refresh_token!),
    userinfoToken: accessToken,
    introspectionToken: accessToken,
    // client_credentials tokens: the cheapest fresh access tokens our server makes.
    revocableTokens: (count) =>
      inParallel(
        count,
        16,
        async () =>
          (
            await tokenRequest(
              tokenUrl,
              { grant_type: 'client_credentials', scope: BENCH.service.scope },
              serviceAuth,
            )
          ).access_token,
      ),
    revokingClient: serviceAuth,
    // Each from a fresh browser: a login page and the CSRF cookie it set. Accepting a page's
    // form consumes its interaction, so every submission needs a page of its own.
    loginForms: (count) =>
      inParallel(count, 8, async () => {
        const fresh = new TestBrowser();
        const page = await fresh.navigate(authorizeRequest, BENCH.callback);
        const form = parseForm(page.html);
        const body = new URLSearchParams({
          ...form.fields,
          username: BENCH.user.email,
          password: BENCH.user.password,
        });
        const request: HttpRequest = {
          method: 'POST',
          path: new URL(form.action, issuer).pathname,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `idp_csrf=${fresh.cookie('idp_csrf')}`,
          },
          body: body.toString(),
        };
        return JSON.stringify(request);
      }),
    close,
  };
}

/** A scratch PostgreSQL database `idp_bench_<random>`, dropped (even with open connections) at the end. */
async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `idp_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_SERVER });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
