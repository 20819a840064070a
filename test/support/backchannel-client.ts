import assert from 'node:assert/strict';
import { idp } from './processes.js';
import { CALLBACK, type ProviderFixture } from './provider-fixture.js';

/**
 * Adds, through `idp clients add`, a confidential relying party that signs in at CALLBACK with
 * `scope` (default `openid profile`) and hears of ended sessions at `logoutUri` (Back-Channel
 * Logout 1.0 2.2, `sid` required unless `sessionRequired` is false); returns its generated
 * secret. A loopback `logoutUri` needs the provider started with IDP_OUTBOUND_ALLOWED_HOSTS=127.0.0.1.
 */
export async function addBackchannelClient(
  op: ProviderFixture,
  clientId: string,
  logoutUri: string,
  { scope = 'openid profile', sessionRequired = true } = {},
): Promise<string> {
  const added = await idp(
    [
      'clients',
      'add',
      clientId,
      '--redirect-uri',
      CALLBACK,
      '--scope',
      scope,
      '--backchannel-logout-uri',
      logoutUri,
      ...(sessionRequired ? ['--backchannel-logout-session-required'] : []),
    ],
    op.env,
  );
  assert.equal(added.code, 0, added.stderr);
  const secret = /client_secret: (\S+)/.exec(added.stdout)?.[1];
  assert.ok(secret, `no client_secret in: ${added.stdout}`);
  return secret;
}
