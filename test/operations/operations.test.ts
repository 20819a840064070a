import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { spawnServer, type SpawnedServer } from '../support/processes.js';
import { waitFor } from '../support/wait-for.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

describe('operations', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  let server: SpawnedServer;

  before(async () => {
    database = await scratchDatabase('sqlite');
    server = await spawnServer(
      await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
        IDP_ADMIN_TOKEN: ADMIN_TOKEN,
      }),
    );
  });
  after(async () => {
    await server?.stop();
    await database?.drop();
  });

  test('/healthz answers while the process lives; /readyz once the database and a key are ready', async () => {
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });

  test('the SQLite database the server created is readable by its owner only', async () => {
    const file = database.url.replace(/^file:/, '');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  test('every response carries a request id', async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.match(response.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  /** The server's complete log lines for the request with this id (x-request-id). */
  const logLinesOf = (id: string | null) =>
    server
      .logLines()
      .filter((line) => line.includes(`"reqId":"${id}"`))
      .map((line) => JSON.parse(line) as { msg: string; reqId: string });

  /** The completion line is written after the response is sent, and reaches the pipe later still. */
  const completionLogged = (response: Response) => {
    const id = response.headers.get('x-request-id');
    return waitFor(
      () => logLinesOf(id).some((line) => line.msg === 'request completed'),
      `the completion log line of request ${id}`,
    );
  };

  test("a request's log lines carry the request id sent back in x-request-id", async () => {
    const response = await fetch(`${server.url}/.well-known/jwks.json`);
    const id = response.headers.get('x-request-id');
    await completionLogged(response);
    const lines = logLinesOf(id);
    assert.ok(
      lines.some((line) => line.msg === 'incoming request'),
      'the incoming line names the request too',
    );
    // One request's id is on its own lines only.
    assert.ok(lines.every((line) => line.reqId === id));
  });

  test('unknown routes get a JSON 404, never a stack trace', async () => {
    const response = await fetch(`${server.url}/nope?x=${'a'.repeat(5000)}`);
    assert.equal(response.status, 404);
    const body = (await response.json()) as { error: string };
    assert.equal(body.error, 'not_found');
  });

  test('the admin API needs the admin token and rotates keys', async () => {
    const denied = await fetch(`${server.url}/admin/keys`, {
      headers: { authorization: 'Bearer wrong' },
    });
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get('www-authenticate') ?? '', /^Bearer/);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const rotated = await fetch(`${server.url}/admin/keys/rotate`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"now":true}',
    });
    assert.equal(rotated.status, 201);
    const { kid } = (await rotated.json()) as { kid: string };
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    assert.ok(
      jwks.keys.some((k) => k.kid === kid),
      'this instance serves the new key at once',
    );
    const listed = (await (await fetch(`${server.url}/admin/keys`, { headers: auth })).json()) as {
      keys: { kid: string; state: string }[];
    };
    assert.equal(listed.keys.find((k) => k.kid === kid)?.state, 'active');
    const unknown = await fetch(`${server.url}/admin/keys/nope/revoke`, {
      method: 'POST',
      headers: auth,
    });
    assert.equal(unknown.status, 404);
    // A kid no key can have (a NUL, which PostgreSQL's text refuses) is unknown too, not a 500:
    // the plan is made on the listed keys, so the kid never reaches a query.
    for (const action of ['retire', 'revoke']) {
      const nul = await fetch(`${server.url}/admin/keys/%00${kid}/${action}`, {
        method: 'POST',
        headers: auth,
      });
      assert.equal(nul.status, 404, `${action} of a kid with a NUL`);
      assert.equal(((await nul.json()) as { error: string }).error, 'unknown_key');
    }
    const badBody = await fetch(`${server.url}/admin/keys/rotate`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"now":',
    });
    assert.equal(badBody.status, 400);
  });

  test('logs redact authorization headers, cookies and credentials in URLs', async () => {
    const health = await fetch(`${server.url}/healthz?code=SECRET-CODE-123&state=visible-state`, {
      headers: { authorization: 'Bearer SECRET-TOKEN-456', cookie: 'session=SECRET-COOKIE-789' },
    });
    const admin = await fetch(`${server.url}/admin/keys`, {
      headers: { authorization: 'Bearer SECRET-TOKEN-456' },
    });
    // Every line of both requests must have arrived, or a leak in a late one would go unseen.
    await completionLogged(health);
    await completionLogged(admin);
    const logs = server.output();
    assert.match(logs, /visible-state/, 'the request was logged');
    for (const secret of [
      'SECRET-CODE-123',
      'SECRET-TOKEN-456',
      'SECRET-COOKIE-789',
      ADMIN_TOKEN,
    ]) {
      assert.ok(!logs.includes(secret), `${secret} leaked into the logs`);
    }
    for (const line of logs.trim().split('\n')) JSON.parse(line); // pino JSON, one object per line
  });

  test('SIGTERM lets an in-flight request finish, then exits 0', async () => {
    const url = new URL(`${server.url}/admin/keys/rotate`);
    const body = '{"now":false}';
    // Send the headers now and the body later: the request is in flight when SIGTERM arrives.
    const pending = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'content-length': body.length,
      },
    });
    const incoming = () =>
      server
        .logLines()
        .filter((l) => l.includes('incoming request') && l.includes('/admin/keys/rotate')).length;
    const seen = incoming();
    pending.flushHeaders();
    await waitFor(() => incoming() > seen, 'the server to receive the request headers');
    const exited = once(server.process, 'exit');
    server.process.kill('SIGTERM');
    await waitFor(
      () => server.output().includes('stopping: draining in-flight requests'),
      'the server to start draining',
    );
    pending.end(body);
    const [response] = (await once(pending, 'response')) as [IncomingMessage];
    let text = '';
    for await (const chunk of response) text += chunk;
    assert.equal(response.statusCode, 201, text);
    const [code] = (await exited) as [number];
    assert.equal(code, 0);
    assert.match(server.output(), /stopping: draining in-flight requests/);
  });
});
