import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  InvalidClient,
  introspectToken,
  mayIntrospect,
  type InspectionDeps,
  type RegisteredClient,
} from '../src/index.js';

const client = (tokenEndpointAuthMethod: RegisteredClient['tokenEndpointAuthMethod']) =>
  ({ clientId: 'c', tokenEndpointAuthMethod }) as RegisteredClient;

// Any use of the dependencies would mean the token was looked at.
const untouchable = new Proxy(
  {},
  { get: () => assert.fail('the token must not be inspected') },
) as InspectionDeps;

test('issue 29 item 6: a public client may not introspect (RFC 7662 2.1), confidential ones may', async () => {
  assert.equal(mayIntrospect(client('none')), false);
  assert.equal(mayIntrospect(client('client_secret_basic')), true);
  assert.equal(mayIntrospect(client('client_secret_post')), true);
  assert.equal(mayIntrospect(client('private_key_jwt')), true);
  await assert.rejects(
    introspectToken({ token: 'any' }, client('none'), untouchable),
    (error: unknown) => {
      assert.ok(error instanceof InvalidClient);
      assert.equal(error.error, 'invalid_client');
      assert.equal(error.status, 401);
      // The answer must not send a client registered with keys off to get a secret.
      assert.match(error.description, /a secret or a key/);
      return true;
    },
  );
});
