import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACCESS_TOKEN_TYPE,
  clientMetadataSchema,
  GRANTS,
  OAuthError,
  TOKEN_EXCHANGE_GRANT,
} from '../src/index.js';
import { createMemoryStores } from '../src/testing/index.js';
import { claimsOf, client, fakeToken, ISSUER, tokenContext } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

const grant = GRANTS.get(TOKEN_EXCHANGE_GRANT)!;
const gateway = client({
  clientId: 'gateway',
  tokenEndpointAuthMethod: 'client_secret_basic',
  grantTypes: [TOKEN_EXCHANGE_GRANT],
  resources: ['https://orders.example', 'https://billing.example'],
});
const sec = Math.floor(NOW / 1000);

/** An access token of ours (fake-signed) for Ada, issued to the gateway. */
const accessToken = (claims: Record<string, unknown> = {}) =>
  fakeToken(
    {
      iss: ISSUER,
      sub: 'ada',
      aud: ['https://orders.example', ISSUER],
      client_id: 'gateway',
      scope: 'openid profile email',
      jti: `j-${Math.random().toString(36).slice(2)}`,
      iat: sec,
      exp: sec + 300,
      ...claims,
    },
    'at+jwt',
  );

function setup() {
  const stores = createMemoryStores();
  const { ctx } = tokenContext({ families: stores.families, audit: stores.audit });
  const exchange = (params: Record<string, string>) =>
    grant.handle({ subject_token_type: ACCESS_TOKEN_TYPE, ...params }, gateway, ctx);
  return { stores, exchange };
}

async function refused(promise: Promise<unknown>, error: string) {
  await assert.rejects(
    promise,
    (thrown: unknown) => thrown instanceof OAuthError && thrown.error === error,
  );
}

test('RFC 8693 2.2.1: a narrower scope for another registered audience; issued_token_type; bounded by the subject token; audited', async () => {
  const { exchange, stores } = setup();
  const response = await exchange({
    subject_token: accessToken(),
    scope: 'profile',
    resource: 'https://billing.example',
  });
  assert.equal(response.issued_token_type, ACCESS_TOKEN_TYPE);
  assert.equal(response.scope, 'profile');
  assert.equal(
    response.expires_in,
    300,
    'the subject token had 300 s left, less than the 600 s lifetime',
  );
  const claims = claimsOf(response.access_token);
  assert.equal(claims.sub, 'ada');
  assert.equal(claims.aud, 'https://billing.example');
  assert.equal(claims.client_id, 'gateway');
  assert.equal(claims.exp, sec + 300);
  const [event] = await stores.audit.recent({ type: 'token.exchanged' });
  assert.equal(event?.clientId, 'gateway');
});

test("without scope or target the subject token's scope and audience stay", async () => {
  const response = await setup().exchange({ subject_token: accessToken() });
  assert.equal(response.scope, 'openid profile email');
  assert.deepEqual(claimsOf(response.access_token).aud, ['https://orders.example', ISSUER]);
});

test('RFC 8693 2.2.2: widening scope is invalid_scope; an audience neither registered nor held is invalid_target', async () => {
  const { exchange } = setup();
  await refused(
    exchange({ subject_token: accessToken(), scope: 'profile phone' }),
    'invalid_scope',
  );
  await refused(
    exchange({ subject_token: accessToken(), audience: 'https://evil.example' }),
    'invalid_target',
  );
  const ok = await exchange({ subject_token: accessToken(), audience: ISSUER });
  assert.equal(claimsOf(ok.access_token).aud, ISSUER, "one of the subject token's own audiences");
});

test('RFC 8693 4.1: actor_token becomes act, with earlier actors nested', async () => {
  const { exchange } = setup();
  const actor = accessToken({ sub: 'svc', client_id: 'svc', aud: ISSUER });
  const subject = accessToken({ act: { sub: 'first-actor' } });
  const response = await exchange({
    subject_token: subject,
    actor_token: actor,
    actor_token_type: ACCESS_TOKEN_TYPE,
  });
  assert.deepEqual(claimsOf(response.access_token).act, {
    sub: 'svc',
    client_id: 'svc',
    act: { sub: 'first-actor' },
  });
  await refused(exchange({ subject_token: accessToken(), actor_token: actor }), 'invalid_request');
});

test('RFC 8693 2.2.2: an invalid, revoked, foreign or mistyped subject token is invalid_request', async () => {
  const { exchange, stores } = setup();
  await refused(exchange({ subject_token: 'garbage' }), 'invalid_request');
  await refused(
    exchange({ subject_token: accessToken({ iss: 'https://other.example' }) }),
    'invalid_request',
  );
  await refused(
    exchange({
      subject_token: accessToken({ client_id: 'someone-else', aud: 'https://orders.example' }),
    }),
    'invalid_request',
  );
  await refused(
    exchange({
      subject_token: accessToken(),
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    }),
    'invalid_request',
  );
  await refused(
    exchange({
      subject_token: accessToken(),
      requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token',
    }),
    'invalid_request',
  );
  await refused(exchange({}), 'invalid_request');
  const token = accessToken({ jti: 'revoked-jti' });
  await stores.families.revokeAccessToken('revoked-jti', NOW + 300_000, 'gateway', NOW);
  await refused(exchange({ subject_token: token }), 'invalid_request');
  // Issued for the gateway by another client: its client_id in aud.
  const forGateway = await exchange({
    subject_token: accessToken({ client_id: 'web', aud: 'gateway' }),
  });
  assert.equal(claimsOf(forGateway.access_token).sub, 'ada');
});

test('registration: token exchange needs a confidential client', () => {
  const parsed = clientMetadataSchema.safeParse({
    client_id: 'p',
    token_endpoint_auth_method: 'none',
    grant_types: [TOKEN_EXCHANGE_GRANT],
  });
  assert.equal(parsed.success, false);
});
