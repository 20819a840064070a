import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseUnavailable } from '@idp/db';
import Fastify from 'fastify';
import { clientLabel, MAX_CLIENT_LABELS } from '../src/metrics/client-label.js';
import { httpMetrics } from '../src/metrics/http-metrics.js';
import { countProtocolEvent, createMetrics, NO_METRICS } from '../src/metrics/metrics.js';

/** The value of one sample line, `name{labels} value`, in a scrape (labels in prom-client's order). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('responses are counted by route pattern and status, never by URL; a 404 is "unmatched"', async () => {
  const metrics = createMetrics();
  const app = Fastify();
  // The plugin counts into the `metrics` decorator, as plugins/stores.ts provides it in the app.
  app.decorate('metrics', metrics);
  await app.register(httpMetrics);
  await app.register(
    async (child) => {
      child.get('/things/:id', async () => ({ ok: true }));
    },
    { prefix: '/api' },
  );
  await app.inject({ url: '/api/things/secret-id-1?token=abc' });
  await app.inject({ url: '/api/things/secret-id-2' });
  await app.inject({ url: '/nothing/here/secret-id-3' });
  const { body } = await metrics.scrape();
  assert.equal(
    sample(body, 'idp_http_requests_total{method="GET",route="/api/things/:id",status_code="200"}'),
    2,
  );
  assert.equal(
    sample(
      body,
      'idp_http_request_duration_seconds_count{method="GET",route="/api/things/:id",status_code="200"}',
    ),
    2,
  );
  assert.equal(
    sample(body, 'idp_http_requests_total{method="GET",route="unmatched",status_code="404"}'),
    1,
  );
  assert.doesNotMatch(body, /secret-id|token=/);
  await app.close();
});

test('a request that meets a database outage counts once, whichever error handler answers it', async () => {
  const metrics = createMetrics();
  const app = Fastify();
  // The plugin counts into the `metrics` decorator, as plugins/stores.ts provides it in the app.
  app.decorate('metrics', metrics);
  await app.register(httpMetrics);
  app.setErrorHandler((_error, _request, reply) =>
    reply.status(503).send({ error: 'temporarily_unavailable' }),
  );
  app.get('/api', async () => {
    throw new DatabaseUnavailable('stalled');
  });
  await app.register(async (pages) => {
    // As the browser context does: a handler of its own that answers outages and rethrows the rest.
    pages.setErrorHandler((error, _request, reply) => {
      if (!(error instanceof DatabaseUnavailable)) throw error;
      return reply.status(503).type('text/html').send('<p>unavailable</p>');
    });
    pages.get('/page', async () => {
      throw new DatabaseUnavailable('stalled');
    });
    pages.get('/broken', async () => {
      throw new Error('not a database problem');
    });
  });
  assert.equal((await app.inject({ url: '/api' })).statusCode, 503);
  assert.equal((await app.inject({ url: '/page' })).statusCode, 503);
  assert.equal((await app.inject({ url: '/broken' })).statusCode, 503);
  const { body } = await metrics.scrape();
  assert.equal(sample(body, 'idp_database_unavailable_total{context="request"}'), 2);
  assert.equal(sample(body, 'idp_database_unavailable_total{context="background"}'), 0);
  await app.close();
});

test("the core's events count tokens, reuse and replays by grant and client; other events are ignored", async () => {
  const metrics = createMetrics();
  countProtocolEvent(metrics, 'grant.success', {
    grantType: 'authorization_code',
    clientId: 'web',
    userId: 'u1',
  });
  countProtocolEvent(metrics, 'grant.success', {
    grantType: 'client_credentials',
    clientId: 'service',
  });
  countProtocolEvent(metrics, 'refresh_token.reused', { clientId: 'web', familyId: 'f1' });
  countProtocolEvent(metrics, 'authorization_code.replayed', { clientId: 'web' });
  countProtocolEvent(metrics, 'something.else', { clientId: 'web' });
  const { body } = await metrics.scrape();
  assert.equal(
    sample(body, 'idp_tokens_issued_total{grant_type="authorization_code",client_id="web"}'),
    1,
  );
  assert.equal(
    sample(body, 'idp_tokens_issued_total{grant_type="client_credentials",client_id="service"}'),
    1,
  );
  assert.equal(sample(body, 'idp_refresh_token_reuse_detected_total{client_id="web"}'), 1);
  assert.equal(sample(body, 'idp_authorization_code_replays_total{client_id="web"}'), 1);
  assert.doesNotMatch(body, /u1|f1/, 'user and family ids are never labels');
});

test('client_id labels stay bounded: URL-shaped ids and those past the limit share a label', () => {
  const seen = new Set<string>();
  assert.equal(clientLabel(seen, 'web'), 'web');
  assert.equal(clientLabel(seen, 'https://app.example.com/client.json'), 'metadata_document');
  for (let index = 0; index < MAX_CLIENT_LABELS * 2; index += 1)
    clientLabel(seen, `registered-${index}`);
  assert.equal(seen.size, MAX_CLIENT_LABELS);
  assert.equal(clientLabel(seen, 'one-more'), 'other');
  assert.equal(clientLabel(seen, 'web'), 'web', 'a client seen before keeps its label');
});

test('metrics off: every call is a no-op and there is nothing to scrape', async () => {
  NO_METRICS.request('GET', '/token', 200, 0.01);
  NO_METRICS.login('success');
  countProtocolEvent(NO_METRICS, 'grant.success', {
    grantType: 'authorization_code',
    clientId: 'web',
  });
  await assert.rejects(NO_METRICS.scrape(), /metrics are off/);
});
