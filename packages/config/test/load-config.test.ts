import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, parseDurationSeconds } from '../src/index.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((p) => `${p.variable}: ${p.message}`);
  }
  assert.fail('expected a ConfigError');
}

test('defaults describe the embedded SQLite server on localhost:3000', () => {
  const config = loadConfig({});
  assert.equal(config.issuer, 'http://localhost:3000');
  assert.equal(config.port, 3000);
  assert.equal(config.host, 'localhost');
  assert.equal(config.databaseUrl, 'file:./data/idp.db');
  assert.equal(config.signingKeySize, 2048);
  assert.equal(config.jwksMaxAge, 600);
  assert.equal(config.keyRotationInterval, 0);
  assert.equal(config.authorizationCodeTtl, 60);
  assert.equal(config.keyEncryptionKey, undefined);
});

test('the default issuer follows PORT', () => {
  assert.equal(loadConfig({ PORT: '4000' }).issuer, 'http://localhost:4000');
});

test('IDP_ISSUER is kept exactly as given', () => {
  assert.equal(loadConfig({ IDP_ISSUER: 'https://id.example.com/tenant' }).issuer, 'https://id.example.com/tenant');
});

test('each bad value is one line naming the variable, the problem and the value', () => {
  const problems = problemsOf({
    PORT: 'eighty',
    IDP_ACCESS_TOKEN_TTL: '5 parsecs',
    IDP_SIGNING_KEY_SIZE: '1024',
    IDP_ISSUER: 'https://id.example.com/?tenant=1',
  });
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.match(problems.find((p) => p.startsWith('PORT:'))!, /whole number from 0 to 65535 \(got "eighty"\)/);
  assert.match(problems.find((p) => p.startsWith('IDP_ACCESS_TOKEN_TTL:'))!, /duration such as 30s/);
  assert.match(problems.find((p) => p.startsWith('IDP_SIGNING_KEY_SIZE:'))!, /one of 2048, 3072, 4096/);
  assert.match(problems.find((p) => p.startsWith('IDP_ISSUER:'))!, /query or fragment/);
});

test('an http issuer is refused unless it is a loopback host', () => {
  assert.match(problemsOf({ IDP_ISSUER: 'http://id.example.com' })[0]!, /IDP_ISSUER: must use https/);
  assert.equal(loadConfig({ IDP_ISSUER: 'http://127.0.0.1:8080' }).issuer, 'http://127.0.0.1:8080');
});

test('RFC 6749 4.1.2 recommends short codes: the code lifetime is capped at 60 seconds', () => {
  assert.match(problemsOf({ IDP_AUTHORIZATION_CODE_TTL: '5m' })[0]!, /IDP_AUTHORIZATION_CODE_TTL: must be between 5s and 60s/);
});

test('the refresh grace period is at most 60 seconds', () => {
  assert.match(problemsOf({ IDP_REFRESH_TOKEN_REUSE_GRACE: '2m' })[0]!, /IDP_REFRESH_TOKEN_REUSE_GRACE/);
});

test('the key-encryption key must be 32 bytes, as base64 or hex', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(loadConfig({ IDP_KEY_ENCRYPTION_KEY: hex }).keyEncryptionKey?.length, 32);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(loadConfig({ IDP_KEY_ENCRYPTION_KEY: b64 }).keyEncryptionKey, Buffer.alloc(32, 7));
  assert.match(problemsOf({ IDP_KEY_ENCRYPTION_KEY: 'secret' })[0]!, /IDP_KEY_ENCRYPTION_KEY: must be 32 bytes/);
});

test('an absolute refresh lifetime shorter than the idle one is refused', () => {
  assert.match(
    problemsOf({ IDP_REFRESH_TOKEN_IDLE_TTL: '30d', IDP_REFRESH_TOKEN_ABSOLUTE_TTL: '1d' })[0]!,
    /IDP_REFRESH_TOKEN_ABSOLUTE_TTL: must be at least IDP_REFRESH_TOKEN_IDLE_TTL/,
  );
});

test('durations accept seconds and s/m/h/d units', () => {
  assert.equal(parseDurationSeconds('90'), 90);
  assert.equal(parseDurationSeconds('10m'), 600);
  assert.equal(parseDurationSeconds('14d'), 1_209_600);
  assert.equal(parseDurationSeconds('1.5h'), undefined);
});

test('rotation is off by default and accepts an interval', () => {
  assert.equal(loadConfig({ IDP_KEY_ROTATION_INTERVAL: '90d' }).keyRotationInterval, 90 * 86_400);
  assert.match(problemsOf({ IDP_KEY_ROTATION_INTERVAL: 'weekly' })[0]!, /IDP_KEY_ROTATION_INTERVAL: must be off or/);
});

test("UV_THREADPOOL_SIZE is unset by default, else a whole number libuv accepts (1 to 1024)", () => {
  assert.equal(loadConfig({}).threadpoolSize, undefined);
  assert.equal(loadConfig({ UV_THREADPOOL_SIZE: '8' }).threadpoolSize, 8);
  assert.match(problemsOf({ UV_THREADPOOL_SIZE: '0' })[0]!, /^UV_THREADPOOL_SIZE: must be a whole number from 1 to 1024/);
  assert.match(problemsOf({ UV_THREADPOOL_SIZE: 'lots' })[0]!, /^UV_THREADPOOL_SIZE: must be a whole number from 1 to 1024/);
});

test('IDP_METRICS_PORT: unset means no metrics; a port of its own otherwise', () => {
  assert.equal(loadConfig({}).metricsPort, undefined);
  assert.equal(loadConfig({ IDP_METRICS_PORT: '9464' }).metricsPort, 9464);
  assert.deepEqual(problemsOf({ IDP_METRICS_PORT: '0' }), ['IDP_METRICS_PORT: must be a whole number from 1 to 65535 (got "0")']);
  assert.deepEqual(problemsOf({ IDP_METRICS_PORT: 'prometheus' }), ['IDP_METRICS_PORT: must be a whole number from 1 to 65535 (got "prometheus")']);
  assert.deepEqual(problemsOf({ PORT: '9464', IDP_METRICS_PORT: '9464' }), ['IDP_METRICS_PORT: must differ from PORT: metrics are served on a listener of their own']);
});

test('IDP_OTLP_TRACES_URL: unset means no tracing; otherwise an http(s) URL', () => {
  assert.equal(loadConfig({}).otlpTracesUrl, undefined);
  assert.equal(loadConfig({ IDP_OTLP_TRACES_URL: 'http://127.0.0.1:4318/v1/traces' }).otlpTracesUrl, 'http://127.0.0.1:4318/v1/traces');
  assert.deepEqual(problemsOf({ IDP_OTLP_TRACES_URL: 'collector:4318' }), ['IDP_OTLP_TRACES_URL: must be an http or https URL (got "collector:4318")']);
});
