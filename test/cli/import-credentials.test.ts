import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TestBrowser } from '../support/browser.js';
import { addBackchannelClient } from '../support/backchannel-client.js';
import { providers } from '../support/databases.js';
import { startLogoutReceiver, type LogoutReceiver } from '../support/logout-receiver.js';
import {
  authorizeUrl,
  basic,
  loginTokens,
  pkce,
  signIn,
  tokenRequest,
  webRequest,
} from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/**
 * `idp import` changing a user's password, or disabling them, must do what `users set-password`
 * and `users disable` do: end their sessions, revoke every token family (offline ones too), tell
 * back-channel logout clients and audit the change. A seed that names the password the user
 * already has (the usual re-import at every deploy) signs no one out.
 */
for (const provider of providers) {
  describe(`idp import and existing users' credentials on ${provider}`, () => {
    let op: ProviderFixture;
    let receiver: LogoutReceiver;
    let rpSecret: string;
    const seedFile = join(tmpdir(), `seed-credentials-${randomBytes(6).toString('hex')}.json`);

    before(async () => {
      receiver = await startLogoutReceiver({});
      // The receiver listens on loopback: allowed for the server's outbound requests here only.
      op = await startProvider(provider, { IDP_OUTBOUND_ALLOWED_HOSTS: '127.0.0.1' });
      rpSecret = await addBackchannelClient(op, 'rp-bcl', receiver.url('/bcl'));
    });
    after(async () => {
      await op?.close();
      await receiver?.close();
      await rm(seedFile, { force: true });
    });

    const importUsers = async (users: object[], clients: object[] = []) => {
      await writeFile(seedFile, JSON.stringify({ clients, users }));
      return idp(['import', seedFile], op.env);
    };
    const sessionsOf = async (email: string) => {
      const listed = await idp(['users', 'sessions', email], op.env);
      assert.equal(listed.code, 0, listed.stderr);
      return listed.stdout.trim().split('\n').length - 1; // below the header
    };
    const refresh = (token: string) =>
      tokenRequest(op.issuer, { grant_type: 'refresh_token', refresh_token: token });

    /** Signs in through /authorize: a session with an online and an offline token family, and
     * the back-channel client in it. */
    async function signedIn(user: { email: string; password: string }) {
      const browser = new TestBrowser();
      const { challenge } = pkce();
      await signIn(browser, authorizeUrl(op.issuer, webRequest(challenge)), { user });
      const online = await loginTokens(browser, op.issuer, { scope: 'openid profile' });
      const offline = await loginTokens(browser, op.issuer, {
        scope: 'openid offline_access',
        prompt: 'consent',
      });
      const rp = pkce();
      const request = webRequest(rp.challenge, { client_id: 'rp-bcl', scope: 'openid profile' });
      const { callback } = await signIn(browser, authorizeUrl(op.issuer, request), { user });
      const exchanged = await tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: CALLBACK,
          code_verifier: rp.verifier,
        },
        { authorization: basic('rp-bcl', rpSecret) },
      );
      assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
      return { online: online.refresh_token!, offline: offline.refresh_token! };
    }

    async function auditTypes(type: string) {
      const listed = await idp(['audit', 'list', '--type', type, '--json'], op.env);
      assert.equal(listed.code, 0, listed.stderr);
      return JSON.parse(listed.stdout) as unknown[];
    }

    test('re-importing the password a user has keeps their sessions and tokens', async () => {
      const tokens = await signedIn(ALICE);
      assert.equal(await sessionsOf(ALICE.email), 1);
      const imported = await importUsers([{ ...ALICE, name: 'Alice Renamed' }]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /users: 0 created, 1 updated/);
      assert.doesNotMatch(imported.stdout, /revoked|back-channel/);
      assert.equal(await sessionsOf(ALICE.email), 1, 'the session lives on');
      assert.equal((await refresh(tokens.online)).status, 200);
      assert.equal(receiver.received('/bcl').length, 0, 'no logout token sent');
    });

    test('a seed that names another password ends the sessions, revokes every family and tells the RP', async () => {
      const tokens = await signedIn(ALICE);
      const before = receiver.received('/bcl').length;
      const changedBefore = (await auditTypes('user.password_changed')).length;
      const newPassword = 'a different long password';
      const imported = await importUsers([{ ...ALICE, password: newPassword }]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(
        imported.stdout,
        /alice@example\.com: password changed; sessions and tokens revoked/,
      );
      assert.match(imported.stdout, /back-channel logout to rp-bcl: delivered/);
      assert.equal(await sessionsOf(ALICE.email), 0, '`users sessions` lists none');
      assert.equal((await refresh(tokens.online)).body.error, 'invalid_grant');
      assert.equal(
        (await refresh(tokens.offline)).body.error,
        'invalid_grant',
        'offline tokens too, as `users set-password` does',
      );
      // Back-Channel Logout 1.0 2.5: a logout token for each ended session the RP was in.
      assert.ok(receiver.received('/bcl').length > before);
      assert.equal((await auditTypes('user.password_changed')).length, changedBefore + 1);
      // The new password signs in.
      await signedIn({ email: ALICE.email, password: newPassword });
      assert.equal(await sessionsOf(ALICE.email), 1);
    });

    test('a seed that disables a user ends their sessions; a seed with a bad entry changes nothing', async () => {
      const bob = { email: 'bob@example.com', password: 'bob has a long password', name: 'Bob' };
      await signedIn(bob);
      const refused = await importUsers(
        [{ ...bob, disabled: true }],
        [{ client_id: 'broken', redirect_uris: ['not a url'] }],
      );
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /nothing imported/);
      assert.equal(await sessionsOf(bob.email), 1, 'nothing written, nobody signed out');

      const disabled = await importUsers([{ ...bob, disabled: true }]);
      assert.equal(disabled.code, 0, disabled.stderr);
      assert.match(disabled.stdout, /bob@example\.com: disabled; sessions and tokens revoked/);
      assert.match(disabled.stdout, /back-channel logout to rp-bcl: delivered/);
      assert.equal(await sessionsOf(bob.email), 0);
      assert.equal((await auditTypes('user.disabled')).length, 1);
    });

    test('a seed that enables a disabled user again writes the audit event `users enable` writes', async () => {
      const carol = {
        email: 'carol@example.com',
        password: 'carol has a long password',
        name: 'Carol',
      };
      const created = await importUsers([{ ...carol, disabled: true }]);
      assert.equal(created.code, 0, created.stderr);
      assert.equal((await auditTypes('user.enabled')).length, 0);

      const enabled = await importUsers([carol]);
      assert.equal(enabled.code, 0, enabled.stderr);
      const [fromSeed, ...others] = await auditTypes('user.enabled');
      assert.equal(others.length, 0, 'one event');
      const again = await importUsers([carol]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal((await auditTypes('user.enabled')).length, 1, 'a user already enabled: none');

      for (const command of ['disable', 'enable']) {
        const run = await idp(['users', command, carol.email], op.env);
        assert.equal(run.code, 0, run.stderr);
      }
      type Event = Record<string, unknown>;
      const seedEvent = { ...(fromSeed as Event) };
      const cliEvent = {
        ...((await auditTypes('user.enabled')) as Event[]).find((e) => e.id !== seedEvent.id),
      };
      // The same event but for its id and time: type, actor, user and data.
      for (const event of [seedEvent, cliEvent]) {
        delete event.id;
        delete event.at;
      }
      assert.ok(seedEvent.userId, 'names the user');
      assert.deepEqual(seedEvent, cliEvent);
      // Enabled indeed: the seed's password signs in.
      await signedIn(carol);
      assert.equal(await sessionsOf(carol.email), 1);
    });
  });
}
