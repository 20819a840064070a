import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  authenticateClient,
  hashClientSecret,
  InvalidClient,
  OAuthError,
  type PresentedClientCredentials,
} from '../src/index.js';
import { authDeps, client } from './protocol-fakes.js';

const SECRET = 'a secret: with/odd+chars '.padEnd(43, 'x');
const CLIENTS = {
  basic: client({
    clientId: 'basic',
    tokenEndpointAuthMethod: 'client_secret_basic',
    secretHash: hashClientSecret(SECRET),
  }),
  post: client({
    clientId: 'post',
    tokenEndpointAuthMethod: 'client_secret_post',
    secretHash: hashClientSecret(SECRET),
  }),
  public: client({ clientId: 'public' }),
};
const find = async (id: string) => CLIENTS[id as keyof typeof CLIENTS] ?? null;
const form = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${form(id)}:${form(secret)}`).toString('base64')}`;
const presented = (changes: Partial<PresentedClientCredentials>): PresentedClientCredentials => ({
  authorization: undefined,
  clientId: undefined,
  clientSecret: undefined,
  ...changes,
});

async function refused(
  credentials: PresentedClientCredentials,
  error: string,
  description?: RegExp,
) {
  await assert.rejects(authenticateClient(credentials, authDeps(find)), (thrown: unknown) => {
    assert.ok(thrown instanceof OAuthError);
    assert.equal(thrown.error, error);
    if (error === 'invalid_client')
      assert.ok(thrown instanceof InvalidClient && thrown.status === 401);
    if (description) assert.match(thrown.description, description);
    return true;
  });
}

test('each client authenticates with the one method it is registered for (RFC 6749 2.3.1)', async () => {
  assert.equal(
    (await authenticateClient(presented({ authorization: basic('basic', SECRET) }), authDeps(find)))
      .clientId,
    'basic',
  );
  assert.equal(
    (
      await authenticateClient(
        presented({ clientId: 'post', clientSecret: SECRET }),
        authDeps(find),
      )
    ).clientId,
    'post',
  );
  assert.equal(
    (await authenticateClient(presented({ clientId: 'public' }), authDeps(find))).clientId,
    'public',
  );
});

test('a wrong method names the registered one; other failures say nothing about why', async () => {
  await refused(
    presented({ clientId: 'basic', clientSecret: SECRET }),
    'invalid_client',
    /registered for client_secret_basic/,
  );
  await refused(
    presented({ clientId: 'post' }),
    'invalid_client',
    /registered for client_secret_post/,
  );
  await refused(
    presented({ authorization: basic('basic', 'wrong') }),
    'invalid_client',
    /^client authentication failed$/,
  );
  await refused(
    presented({ authorization: basic('nobody', SECRET) }),
    'invalid_client',
    /^client authentication failed$/,
  );
  await refused(presented({}), 'invalid_client');
  await refused(presented({ authorization: 'Basic !!!' }), 'invalid_client');
});

test('two methods at once, or a body client_id that differs from Basic, are invalid_request', async () => {
  await refused(
    presented({ authorization: basic('basic', SECRET), clientSecret: SECRET }),
    'invalid_request',
  );
  await refused(
    presented({ authorization: basic('basic', SECRET), clientId: 'post' }),
    'invalid_request',
  );
  assert.equal(
    (
      await authenticateClient(
        presented({ authorization: basic('basic', SECRET), clientId: 'basic' }),
        authDeps(find),
      )
    ).clientId,
    'basic',
  );
});
