import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  GRANTS,
  handleTokenRequest,
  hashClientSecret,
  OAuthError,
  type RegisteredClient,
} from '../src/index.js';
import { authDeps, claimsOf, client, ISSUER, tokenContext } from './protocol-fakes.js';
import { NOW } from './token-family-fixture.js';

const grant = GRANTS.get('client_credentials')!;
const SECRET = 's'.repeat(43);
const service = client({
  clientId: 'service',
  secretHash: hashClientSecret(SECRET),
  tokenEndpointAuthMethod: 'client_secret_post',
  grantTypes: ['client_credentials'],
  scopes: ['openid', 'read', 'write'],
  resources: ['https://api.example'],
});

async function refused(promise: Promise<unknown>, error: string) {
  await assert.rejects(
    promise,
    (thrown: unknown) => thrown instanceof OAuthError && thrown.error === error,
  );
}

test('client credentials: an access token for the client itself, no ID token, no refresh token (RFC 6749 4.4.3)', async () => {
  const { ctx, events } = tokenContext();
  const response = await grant.handle(
    { scope: 'read', resource: 'https://api.example' },
    service,
    ctx,
  );
  assert.deepEqual(Object.keys(response).sort(), [
    'access_token',
    'expires_in',
    'scope',
    'token_type',
  ]);
  const claims = claimsOf(response.access_token);
  assert.equal(claims.sub, 'service');
  assert.equal(claims.client_id, 'service');
  assert.equal(claims.aud, 'https://api.example');
  assert.equal(claims.iss, ISSUER);
  assert.equal(claims.exp, Math.floor(NOW / 1000) + 600);
  assert.equal(claims.scope, 'read');
  assert.deepEqual(
    events.map((e) => e.event),
    ['grant.success'],
  );
});

test('without scope, every registered scope but those that need a person', async () => {
  const { ctx } = tokenContext();
  const response = await grant.handle({}, service, ctx);
  assert.equal(response.scope, 'read write');
});

test('a user scope, an unregistered scope or resource, and a public client are refused', async () => {
  const { ctx } = tokenContext();
  await refused(grant.handle({ scope: 'openid' }, service, ctx), 'invalid_scope');
  await refused(grant.handle({ scope: 'admin' }, service, ctx), 'invalid_scope');
  await refused(
    grant.handle({ resource: 'https://other.example' }, service, ctx),
    'invalid_target',
  );
  await refused(
    grant.handle({}, { ...service, tokenEndpointAuthMethod: 'none' }, ctx),
    'unauthorized_client',
  );
});

test('the token endpoint authenticates the client, then checks the grant type is known and registered', async () => {
  const { ctx } = tokenContext();
  const find = async (id: string): Promise<RegisteredClient | null> =>
    id === 'service' ? service : null;
  const credentials = { authorization: undefined, clientId: 'service', clientSecret: SECRET };
  const ok = await handleTokenRequest(
    { grant_type: 'client_credentials' },
    credentials,
    authDeps(find),
    ctx,
  );
  assert.equal(ok.token_type, 'Bearer');
  await refused(handleTokenRequest({}, credentials, authDeps(find), ctx), 'invalid_request');
  await refused(
    handleTokenRequest({ grant_type: 'password' }, credentials, authDeps(find), ctx),
    'unsupported_grant_type',
  );
  await refused(
    handleTokenRequest({ grant_type: 'refresh_token' }, credentials, authDeps(find), ctx),
    'unauthorized_client',
  );
  await refused(
    handleTokenRequest(
      { grant_type: 'client_credentials' },
      { ...credentials, clientSecret: 'wrong' },
      authDeps(find),
      ctx,
    ),
    'invalid_client',
  );
});
