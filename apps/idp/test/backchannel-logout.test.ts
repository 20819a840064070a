import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { RegisteredClient } from '@idp/oidc';
import { MemoryAuditLog, MemoryLogoutDeliveryStore, MemoryTables } from '@idp/oidc/testing';
import { BackchannelLogout } from '../src/logout/backchannel-logout.js';

// The delivery of logout tokens (Back-Channel Logout 1.0 2.5, 2.8): retried on 5xx and network
// errors only, bounded, failures audited. The e2e tests cover signing and the real server.

const statuses = new Map<string, number[]>();
const hits = new Map<string, number>();
const server = createServer((request, response) => {
  const path = request.url ?? '';
  const seen = (hits.get(path) ?? 0) + 1;
  hits.set(path, seen);
  const plan = statuses.get(path) ?? [200];
  response.writeHead(plan[Math.min(seen, plan.length) - 1]!).end();
});
let base = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

function notifier(
  clients: Record<string, string>,
  options: { queue?: MemoryLogoutDeliveryStore; tables?: MemoryTables } = {},
) {
  const tables = options.tables ?? new MemoryTables();
  const audit = new MemoryAuditLog(tables);
  const lookup = (clientId: string) =>
    clients[clientId]
      ? ({
          clientId,
          backchannelLogoutUri: clients[clientId],
          idTokenSignedResponseAlg: 'RS256',
        } as RegisteredClient)
      : null;
  const quiet = () => {};
  const delivery = new BackchannelLogout({
    issuer: 'https://op.example',
    signer: {
      sign: async (payload) => `token-for-${String(payload.aud)}-${String(payload.jti)}`,
      signingAlgorithms: () => ['RS256'],
    },
    clients: { findById: async (id) => lookup(id) },
    outbound: { allowedHosts: ['127.0.0.1'], timeoutMs: 1_000, maxBytes: 1024 },
    audit,
    clock: { now: () => Date.now() },
    logger: { info: quiet, warn: quiet },
    retry: { attempts: 3, firstBackoffMs: 10, timeoutMs: 1_000 },
    ...(options.queue ? { queue: options.queue } : {}),
  });
  return { delivery, audit };
}

const session = (clientIds: string[]) => ({ sessionId: 'sid', userId: 'user', clientIds });

test('2xx is delivered at once; 5xx is retried; another answer is final', async () => {
  statuses.set('/flaky', [503, 500, 204]);
  statuses.set('/bad', [400]);
  const { delivery, audit } = notifier({
    ok: `${base}/ok`,
    flaky: `${base}/flaky`,
    bad: `${base}/bad`,
  });
  const results = await delivery.notify([session(['ok', 'flaky', 'bad', 'gone'])]);
  assert.deepEqual(
    results.map((r) => [r.clientId, r.outcome, r.attempts, r.status]),
    [
      ['ok', 'delivered', 1, 200],
      ['flaky', 'delivered', 3, 204],
      ['bad', 'rejected', 1, 400],
    ],
  );
  const events = await audit.recent({ limit: 10 });
  assert.deepEqual(
    events.map((e) => [e.type, e.clientId, e.userId, e.data.outcome]),
    [['logout.backchannel_failed', 'bad', 'user', 'rejected']],
  );
});

test('bounded: a receiver that keeps failing, or is unreachable, gets `attempts` tries and is audited', async () => {
  statuses.set('/down', [500]);
  const { delivery, audit } = notifier({
    down: `${base}/down`,
    // Nothing listens on port 9 (discard) here: a network error.
    closed: 'http://127.0.0.1:9/logout',
  });
  const results = await delivery.notify([session(['down', 'closed'])]);
  assert.equal(hits.get('/down'), 3);
  assert.deepEqual(
    results.map((r) => [r.clientId, r.outcome, r.attempts]),
    [
      ['down', 'failed', 3],
      ['closed', 'failed', 3],
    ],
  );
  assert.equal((await audit.recent({ limit: 10 })).length, 2);
});

test('issue 32: a destination the outbound rules refuse is tried once, not retried, and audited', async () => {
  statuses.set('/moved', [302]);
  const { delivery, audit } = notifier({
    // A private address not in IDP_OUTBOUND_ALLOWED_HOSTS (the test allows only 127.0.0.1).
    private: 'https://10.0.0.1/logout',
    // A loopback name resolved, then refused by the guarded lookup.
    loopback: 'https://localhost:9/logout',
    // Plain http to a host that is not allowed.
    plain: 'http://op.example/logout',
    // Redirects are never followed, so asking again gets the same redirect.
    redirect: `${base}/moved`,
  });
  const started = Date.now();
  const results = await delivery.notify([session(['private', 'loopback', 'plain', 'redirect'])]);
  assert.deepEqual(
    results.map((r) => [r.clientId, r.outcome, r.attempts]),
    [
      ['private', 'failed', 1],
      ['loopback', 'failed', 1],
      ['plain', 'failed', 1],
      ['redirect', 'failed', 1],
    ],
  );
  assert.equal(hits.get('/moved'), 1, 'the redirecting receiver was asked once');
  assert.match(results[0]!.error!, /not a public address/, 'the SSRF guard applies');
  assert.match(results[1]!.error!, /not a public address/);
  assert.match(results[2]!.error!, /only https/);
  assert.match(results[3]!.error!, /redirects are not followed/);
  // No backoff waits (10 ms, then 20 ms) were spent on them.
  assert.ok(Date.now() - started < 1_000);
  const audited = await audit.recent({ type: 'logout.backchannel_failed', limit: 10 });
  assert.equal(audited.length, 4);
  assert.ok(audited.every((event) => event.data.attempts === 1));
});

test('notifyInBackground returns at once; close stops the retries', async () => {
  statuses.set('/slow-fail', [500]);
  const { delivery } = notifier({ x: `${base}/slow-fail` });
  void delivery.notifyInBackground([session(['x']), null]);
  const started = Date.now();
  await delivery.close();
  assert.ok(Date.now() - started < 1_000);
  assert.ok((hits.get('/slow-fail') ?? 0) <= 1);
});

const waitUntil = async (condition: () => boolean, what: string) => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

test('queued: the worker delivers, retries a 5xx with the same jti, gives up after `attempts` and audits', async () => {
  statuses.set('/q-flaky', [500, 200]);
  statuses.set('/q-down', [503]);
  const tables = new MemoryTables();
  const queue = new MemoryLogoutDeliveryStore(tables);
  const { delivery, audit } = notifier(
    { ok: `${base}/q-ok`, flaky: `${base}/q-flaky`, down: `${base}/q-down` },
    { queue, tables },
  );
  await delivery.notifyInBackground([session(['ok', 'flaky', 'down'])]);
  assert.equal(tables.logoutDeliveries.size, 3, 'queued before any attempt is awaited');
  delivery.start();
  await waitUntil(() => tables.logoutDeliveries.size === 0, 'the queue to empty');
  await delivery.close();
  assert.equal(hits.get('/q-ok'), 1);
  assert.equal(hits.get('/q-flaky'), 2);
  assert.equal(hits.get('/q-down'), 3, 'bounded by attempts');
  const audited = await audit.recent({ type: 'logout.backchannel_failed', limit: 10 });
  assert.deepEqual(
    audited.map((e) => [e.clientId, e.data.outcome, e.data.attempts]),
    [['down', 'failed', 3]],
  );
});

test('queued: two workers on one queue (two processes) never make the same delivery twice', async () => {
  const tables = new MemoryTables();
  const queue = new MemoryLogoutDeliveryStore(tables);
  const clients = Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => [`c${i}`, `${base}/q-shared-${i}`]),
  );
  const first = notifier(clients, { queue, tables }).delivery;
  const second = notifier(clients, { queue, tables }).delivery;
  await first.notifyInBackground([session(Object.keys(clients))]);
  first.start();
  second.start();
  await waitUntil(() => tables.logoutDeliveries.size === 0, 'the queue to empty');
  await Promise.all([first.close(), second.close()]);
  for (let i = 0; i < 12; i += 1) assert.equal(hits.get(`/q-shared-${i}`), 1, `c${i} once`);
});
