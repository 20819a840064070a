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
  assert.equal(
    loadConfig({ IDP_ISSUER: 'https://id.example.com/tenant' }).issuer,
    'https://id.example.com/tenant',
  );
});

test('each bad value is one line naming the variable, the problem and the value', () => {
  const problems = problemsOf({
    PORT: 'eighty',
    IDP_ACCESS_TOKEN_TTL: '5 parsecs',
    IDP_SIGNING_KEY_SIZE: '1024',
    IDP_ISSUER: 'https://id.example.com/?tenant=1',
  });
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.match(
    problems.find((p) => p.startsWith('PORT:'))!,
    /whole number from 0 to 65535 \(got "eighty"\)/,
  );
  assert.match(
    problems.find((p) => p.startsWith('IDP_ACCESS_TOKEN_TTL:'))!,
    /duration such as 30s/,
  );
  assert.match(
    problems.find((p) => p.startsWith('IDP_SIGNING_KEY_SIZE:'))!,
    /one of 2048, 3072, 4096/,
  );
  assert.match(
    problems.find((p) => p.startsWith('IDP_ISSUER:'))!,
    /query or fragment/,
  );
});

test('an http issuer is refused unless it is a loopback host', () => {
  assert.match(
    problemsOf({ IDP_ISSUER: 'http://id.example.com' })[0]!,
    /IDP_ISSUER: must use https/,
  );
  assert.equal(loadConfig({ IDP_ISSUER: 'http://127.0.0.1:8080' }).issuer, 'http://127.0.0.1:8080');
});

test('RFC 6749 4.1.2 recommends short codes: the code lifetime is capped at 60 seconds', () => {
  assert.match(
    problemsOf({ IDP_AUTHORIZATION_CODE_TTL: '5m' })[0]!,
    /IDP_AUTHORIZATION_CODE_TTL: must be between 5s and 60s/,
  );
});

test('the refresh grace period is at most 60 seconds', () => {
  assert.match(
    problemsOf({ IDP_REFRESH_TOKEN_REUSE_GRACE: '2m' })[0]!,
    /IDP_REFRESH_TOKEN_REUSE_GRACE/,
  );
});

test('the key-encryption key must be 32 bytes, as base64 or hex', () => {
  const hex = 'ab'.repeat(32);
  assert.equal(loadConfig({ IDP_KEY_ENCRYPTION_KEY: hex }).keyEncryptionKey?.length, 32);
  const b64 = Buffer.alloc(32, 7).toString('base64');
  assert.deepEqual(
    loadConfig({ IDP_KEY_ENCRYPTION_KEY: b64 }).keyEncryptionKey,
    Buffer.alloc(32, 7),
  );
  assert.match(
    problemsOf({ IDP_KEY_ENCRYPTION_KEY: 'secret' })[0]!,
    /IDP_KEY_ENCRYPTION_KEY: must be 32 bytes/,
  );
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
  assert.match(
    problemsOf({ IDP_KEY_ROTATION_INTERVAL: 'weekly' })[0]!,
    /IDP_KEY_ROTATION_INTERVAL: must be off or/,
  );
});

test('UV_THREADPOOL_SIZE is unset by default, else a whole number libuv accepts (1 to 1024)', () => {
  assert.equal(loadConfig({}).threadpoolSize, undefined);
  assert.equal(loadConfig({ UV_THREADPOOL_SIZE: '8' }).threadpoolSize, 8);
  assert.match(
    problemsOf({ UV_THREADPOOL_SIZE: '0' })[0]!,
    /^UV_THREADPOOL_SIZE: must be a whole number from 1 to 1024/,
  );
  assert.match(
    problemsOf({ UV_THREADPOOL_SIZE: 'lots' })[0]!,
    /^UV_THREADPOOL_SIZE: must be a whole number from 1 to 1024/,
  );
});

test('issue 31 item 5: IDP_SIGNING_ALGORITHMS defaults to RS256 and takes a comma-separated list; IDP_TOKEN_SIGNING_ALG must be one of it', () => {
  const defaults = loadConfig({});
  assert.deepEqual(defaults.signingAlgorithms, ['RS256']);
  assert.equal(defaults.tokenSigningAlg, 'RS256');
  const several = loadConfig({
    IDP_SIGNING_ALGORITHMS: 'RS256, ES256,EdDSA,ES256',
    IDP_TOKEN_SIGNING_ALG: 'EdDSA',
  });
  assert.deepEqual(
    several.signingAlgorithms,
    ['RS256', 'ES256', 'EdDSA'],
    'duplicates collapse, order kept',
  );
  assert.equal(several.tokenSigningAlg, 'EdDSA');
  assert.deepEqual(problemsOf({ IDP_SIGNING_ALGORITHMS: 'RS256,HS256,none' }), [
    'IDP_SIGNING_ALGORITHMS: must be a comma-separated list of RS256, PS256, ES256, EdDSA (not one: "HS256", "none") (got "RS256,HS256,none")',
  ]);
  assert.deepEqual(
    problemsOf({ IDP_SIGNING_ALGORITHMS: ' , ' }).length,
    1,
    'an empty list is refused',
  );
  assert.deepEqual(problemsOf({ IDP_TOKEN_SIGNING_ALG: 'es256' }), [
    'IDP_TOKEN_SIGNING_ALG: must be one of RS256, PS256, ES256, EdDSA (got "es256")',
  ]);
  assert.deepEqual(problemsOf({ IDP_TOKEN_SIGNING_ALG: 'ES256' }), [
    'IDP_TOKEN_SIGNING_ALG: must be one of IDP_SIGNING_ALGORITHMS (RS256); add ES256 there',
  ]);
});

test('issue 31 item 5: a refresh-token grace period needs a deterministic token algorithm (RS256 or EdDSA)', () => {
  const env = {
    IDP_SIGNING_ALGORITHMS: 'RS256,PS256,ES256,EdDSA',
    IDP_REFRESH_TOKEN_REUSE_GRACE: '10s',
  };
  for (const alg of ['PS256', 'ES256']) {
    const [problem, ...rest] = problemsOf({ ...env, IDP_TOKEN_SIGNING_ALG: alg });
    assert.equal(rest.length, 0);
    assert.match(
      problem!,
      new RegExp(
        `^IDP_TOKEN_SIGNING_ALG: ${alg} signatures are randomised.*IDP_REFRESH_TOKEN_REUSE_GRACE=0s`,
      ),
    );
  }
  assert.equal(loadConfig({ ...env, IDP_TOKEN_SIGNING_ALG: 'EdDSA' }).tokenSigningAlg, 'EdDSA');
  assert.equal(
    loadConfig({ ...env, IDP_TOKEN_SIGNING_ALG: 'ES256', IDP_REFRESH_TOKEN_REUSE_GRACE: '0s' })
      .tokenSigningAlg,
    'ES256',
  );
});

test('issue 31 item 5 / OIDC Discovery 1.0 3: IDP_SIGNING_ALGORITHMS must include RS256', () => {
  const [problem, ...rest] = problemsOf({
    IDP_SIGNING_ALGORITHMS: 'ES256,EdDSA',
    IDP_TOKEN_SIGNING_ALG: 'ES256',
  });
  assert.equal(rest.length, 0);
  assert.match(problem!, /^IDP_SIGNING_ALGORITHMS: must include RS256/);
});

test('issue 31 item 2: IDP_PAR_LIFETIME defaults to 60 s and is refused above 600 s (RFC 9126 2.2); PAR is not required by default', () => {
  assert.equal(loadConfig({}).parLifetime, 60);
  assert.equal(loadConfig({ IDP_PAR_LIFETIME: '10m' }).parLifetime, 600);
  assert.deepEqual(problemsOf({ IDP_PAR_LIFETIME: '601s' }), [
    'IDP_PAR_LIFETIME: must be between 5s and 600s (got "601s")',
  ]);
  assert.equal(loadConfig({}).requirePushedAuthorizationRequests, false);
  assert.equal(
    loadConfig({ IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: 'true' })
      .requirePushedAuthorizationRequests,
    true,
  );
  assert.deepEqual(problemsOf({ IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: 'yes' }), [
    'IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS: must be true or false (got "yes")',
  ]);
});

test('IDP_SECURITY_PROFILE: none by default, fapi2 for the FAPI 2.0 Security Profile, nothing else', () => {
  assert.equal(loadConfig({}).securityProfile, 'none');
  assert.equal(loadConfig({ IDP_SECURITY_PROFILE: 'fapi2' }).securityProfile, 'fapi2');
  assert.equal(problemsOf({ IDP_SECURITY_PROFILE: 'fapi1' }).length, 1);
  assert.match(
    problemsOf({ IDP_SECURITY_PROFILE: 'fapi1' })[0]!,
    /^IDP_SECURITY_PROFILE: must be one of none, fapi2/,
  );
});

test('IDP_METRICS_PORT: unset means no metrics; a port of its own otherwise', () => {
  assert.equal(loadConfig({}).metricsPort, undefined);
  assert.equal(loadConfig({ IDP_METRICS_PORT: '9464' }).metricsPort, 9464);
  assert.deepEqual(problemsOf({ IDP_METRICS_PORT: '0' }), [
    'IDP_METRICS_PORT: must be a whole number from 1 to 65535 (got "0")',
  ]);
  assert.deepEqual(problemsOf({ IDP_METRICS_PORT: 'prometheus' }), [
    'IDP_METRICS_PORT: must be a whole number from 1 to 65535 (got "prometheus")',
  ]);
  assert.deepEqual(problemsOf({ PORT: '9464', IDP_METRICS_PORT: '9464' }), [
    'IDP_METRICS_PORT: must differ from PORT: metrics are served on a listener of their own',
  ]);
});

test('IDP_OTLP_TRACES_URL: unset means no tracing; otherwise an http(s) URL', () => {
  assert.equal(loadConfig({}).otlpTracesUrl, undefined);
  assert.equal(
    loadConfig({ IDP_OTLP_TRACES_URL: 'http://127.0.0.1:4318/v1/traces' }).otlpTracesUrl,
    'http://127.0.0.1:4318/v1/traces',
  );
  assert.deepEqual(problemsOf({ IDP_OTLP_TRACES_URL: 'collector:4318' }), [
    'IDP_OTLP_TRACES_URL: must be an http or https URL (got "collector:4318")',
  ]);
});

test('e-mail settings: off by default; SMTP URLs and senders checked, credentials kept', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.smtpUrl, undefined);
  assert.equal(defaults.selfRegistration, false);
  assert.equal(defaults.passwordResetTtl, 1800);
  const config = loadConfig({
    IDP_SMTP_URL: 'smtps://user%40example.com:p%2Fss@smtp.example.com:465',
    IDP_EMAIL_FROM: 'Example Sign-in <signin@example.com>',
    IDP_SELF_REGISTRATION: 'true',
  });
  assert.equal(config.smtpUrl, 'smtps://user%40example.com:p%2Fss@smtp.example.com:465');
  assert.equal(config.emailFrom, 'Example Sign-in <signin@example.com>');
  assert.equal(config.selfRegistration, true);
  const problems = problemsOf({
    IDP_SMTP_URL: 'http://smtp.example.com',
    IDP_EMAIL_FROM: 'nobody',
  });
  assert.ok(problems.some((p) => p.startsWith('IDP_SMTP_URL: must be smtp://host:port')));
  assert.ok(problems.some((p) => p.startsWith('IDP_EMAIL_FROM: ')));
  const withPassword = problemsOf({ IDP_SMTP_URL: 'https://user:hunter2@smtp.example.com' });
  assert.ok(withPassword[0]!.includes('https://user:***@smtp.example.com'), withPassword[0]);
  assert.ok(!withPassword[0]!.includes('hunter2'));
});

test('branding settings: a name, an https or same-server logo, a #rrggbb colour', () => {
  const config = loadConfig({
    IDP_BRAND_NAME: 'Acme Login',
    IDP_BRAND_LOGO_URL: 'https://cdn.example.com/logo.svg',
    IDP_BRAND_PRIMARY_COLOR: '#0A7B4F',
  });
  assert.equal(config.brandName, 'Acme Login');
  assert.equal(config.brandLogoUrl, 'https://cdn.example.com/logo.svg');
  assert.equal(config.brandPrimaryColor, '#0a7b4f');
  assert.equal(
    loadConfig({ IDP_BRAND_LOGO_URL: '/static/logo.png' }).brandLogoUrl,
    '/static/logo.png',
  );
  const unset = loadConfig({});
  assert.equal(unset.brandName, undefined);
  assert.equal(unset.brandLogoUrl, undefined);
  assert.equal(unset.brandPrimaryColor, undefined);
});

test('bad branding values are refused, each naming its setting', () => {
  const problems = problemsOf({
    IDP_BRAND_PRIMARY_COLOR: 'blue',
    IDP_BRAND_LOGO_URL: 'http://cdn.example.com/logo.svg',
    IDP_BRAND_NAME: 'x'.repeat(81),
  });
  assert.ok(
    problems.some((p) =>
      p.startsWith('IDP_BRAND_PRIMARY_COLOR: must be a colour written as #rrggbb'),
    ),
  );
  assert.ok(problems.some((p) => p.startsWith('IDP_BRAND_LOGO_URL: must be an https URL')));
  assert.ok(problems.some((p) => p.startsWith('IDP_BRAND_NAME: must be at most 80 characters')));
  for (const logo of ['//evil.example/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AA'])
    assert.ok(
      problemsOf({ IDP_BRAND_LOGO_URL: logo }).some((p) => p.startsWith('IDP_BRAND_LOGO_URL:')),
    );
  assert.ok(
    problemsOf({ IDP_BRAND_PRIMARY_COLOR: '#fff' }).some((p) =>
      p.startsWith('IDP_BRAND_PRIMARY_COLOR:'),
    ),
  );
});

test('self-registered clients are not limited unless the operator narrows them; `none` allows no resources', () => {
  const config = loadConfig({});
  assert.deepEqual(config.registrationGrantTypes, [
    'authorization_code',
    'refresh_token',
    'client_credentials',
    'urn:ietf:params:oauth:grant-type:device_code',
    'urn:ietf:params:oauth:grant-type:token-exchange',
  ]);
  assert.equal(config.registrationResources, null);
  assert.deepEqual(loadConfig({ IDP_REGISTRATION_RESOURCES: 'none' }).registrationResources, []);
  const wider = loadConfig({
    IDP_REGISTRATION_GRANT_TYPES: 'authorization_code, client_credentials',
    IDP_REGISTRATION_RESOURCES: 'https://mcp.example.com/, https://api.example.com/orders',
  });
  assert.deepEqual(wider.registrationGrantTypes, ['authorization_code', 'client_credentials']);
  assert.deepEqual(wider.registrationResources, [
    'https://mcp.example.com/',
    'https://api.example.com/orders',
  ]);
});

test('an unknown registration grant type or a resource that is not an absolute URL is refused', () => {
  const problems = problemsOf({
    IDP_REGISTRATION_GRANT_TYPES: 'authorization_code,implicit',
    IDP_REGISTRATION_RESOURCES: 'https://ok.example/,mcp.example.com,https://x.example/#f',
  });
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /IDP_REGISTRATION_GRANT_TYPES: unknown grant type implicit/);
  assert.match(
    problems[1]!,
    /IDP_REGISTRATION_RESOURCES: must be .*absolute http\(s\) URLs.*mcp\.example\.com/,
  );
});

test("traces follow OpenTelemetry's own variables when IDP_OTLP_TRACES_URL is unset", () => {
  assert.equal(loadConfig({}).otlpTracesUrl, undefined);
  assert.equal(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).otlpTracesUrl,
    'http://collector:4318/v1/traces',
  );
  assert.equal(
    loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom',
    }).otlpTracesUrl,
    'http://traces:4318/custom',
  );
  assert.equal(
    loadConfig({
      IDP_OTLP_TRACES_URL: 'http://ours:4318/v1/traces',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    }).otlpTracesUrl,
    'http://ours:4318/v1/traces',
  );
  const problems = problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' });
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0]!, /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http or https URL/);
});
