import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, basic, pkce, signIn, tokenRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { CALLBACK, startProvider, type ProviderFixture } from '../support/provider-fixture.js';

/*
 * PKCE is required of every client by default. A confidential client registered with
 * `require_pkce: false` may leave it out when it sends a nonce (OAuth 2.1 7.5.1, RFC 9700 2.1.1),
 * as the OpenID conformance suite's Basic, Form Post and logout plans do: their `oidcc-server`
 * module, for one, completes an authorization without PKCE. So does passport-openidconnect.
 */
for (const provider of providers) {
  describe(`require_pkce false for confidential clients on ${provider}`, () => {
    let op: ProviderFixture;
    let secret: string;
    let config: oidc.Configuration;

    before(async () => {
      op = await startProvider(provider);
      const added = await idp(
        [
          'clients',
          'add',
          'legacy',
          '--name',
          'Legacy App',
          '--redirect-uri',
          CALLBACK,
          '--no-require-pkce',
        ],
        op.env,
      );
      assert.equal(added.code, 0, added.stderr);
      secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
      config = await oidc.discovery(
        new URL(op.issuer),
        'legacy',
        undefined,
        oidc.ClientSecretBasic(secret),
        { execute: [oidc.allowInsecureRequests] },
      );
    });
    after(async () => op?.close());

    const legacyRequest = (overrides: Record<string, string | undefined> = {}) => ({
      client_id: 'legacy',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid profile',
      state: randomBytes(8).toString('hex'),
      nonce: randomBytes(8).toString('hex'),
      ...overrides,
    });
    const exchange = (code: string, extra: Record<string, string | undefined> = {}) =>
      tokenRequest(
        op.issuer,
        { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...extra },
        { authorization: basic('legacy', secret) },
      );

    test('issue 29 item 14: a confidential client registered require_pkce false logs in with openid-client without PKCE, with a nonce', async () => {
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid profile',
        state,
        nonce,
      });
      assert.equal(url.searchParams.get('code_challenge'), null);
      const { callback } = await signIn(new TestBrowser(), url.href);
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      assert.equal(
        tokens.claims()!.nonce,
        nonce,
        'OIDC Core 3.1.3.7: the nonce comes back in the ID token',
      );
      assert.equal(tokens.claims()!.aud, 'legacy');
    });

    test('issue 29 item 14: without PKCE and without nonce the request is invalid_request, redirected with a description', async () => {
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, legacyRequest({ nonce: undefined, state: 'no-nonce' })),
        CALLBACK,
      );
      assert.ok(page.redirectedTo, 'the error goes back to the registered redirect_uri');
      const params = new URL(page.redirectedTo).searchParams;
      assert.equal(params.get('error'), 'invalid_request');
      assert.match(params.get('error_description')!, /nonce/);
      assert.equal(params.get('state'), 'no-nonce');
    });

    test('issue 29 item 14: RFC 9700 2.1.1 / OAuth 2.1 4.1.3: a code issued without code_challenge redeemed with a code_verifier is invalid_grant', async () => {
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, legacyRequest()),
      );
      const code = callback.searchParams.get('code')!;
      const downgraded = await exchange(code, { code_verifier: pkce().verifier });
      assert.equal(downgraded.status, 400);
      assert.equal(downgraded.body.error, 'invalid_grant');
      assert.equal(
        (await exchange(code)).status,
        200,
        'the code was not used up by the refused attempt',
      );
    });

    test('issue 29 item 14: a code_challenge the client does send is enforced (RFC 7636 4.6)', async () => {
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(
          op.issuer,
          legacyRequest({ code_challenge: challenge, code_challenge_method: 'S256' }),
        ),
      );
      const code = callback.searchParams.get('code')!;
      assert.equal((await exchange(code)).body.error, 'invalid_grant', 'a missing verifier');
      assert.equal(
        (await exchange(code, { code_verifier: pkce().verifier })).body.error,
        'invalid_grant',
        'a wrong verifier',
      );
      assert.equal((await exchange(code, { code_verifier: verifier })).status, 200);
      const plain = await new TestBrowser().navigate(
        authorizeUrl(
          op.issuer,
          legacyRequest({ code_challenge: challenge, code_challenge_method: 'plain' }),
        ),
        CALLBACK,
      );
      assert.equal(
        new URL(plain.redirectedTo!).searchParams.get('error'),
        'invalid_request',
        'S256 only',
      );
    });

    test('issue 29 item 14: a public client cannot be registered with require_pkce false (CLI and seed), and nothing is stored', async () => {
      const cli = await idp(
        [
          'clients',
          'add',
          'spa-no-pkce',
          '--public',
          '--redirect-uri',
          'http://127.0.0.1/cb',
          '--no-require-pkce',
        ],
        op.env,
      );
      assert.equal(cli.code, 1);
      assert.match(cli.stderr, /require_pkce: may be false only for a confidential client/);

      const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
      await writeFile(
        seedFile,
        JSON.stringify({
          clients: [
            {
              client_id: 'spa-no-pkce',
              token_endpoint_auth_method: 'none',
              redirect_uris: ['http://127.0.0.1/cb'],
              require_pkce: false,
            },
          ],
        }),
      );
      const imported = await idp(['import', seedFile], op.env);
      assert.equal(imported.code, 1);
      assert.match(
        imported.stderr,
        /clients\[0\]\.require_pkce: may be false only for a confidential client/,
      );

      const list = await idp(['clients', 'list', '--json'], op.env);
      assert.ok(!list.stdout.includes('spa-no-pkce'), 'no client was stored');
    });

    test('issue 29 item 14: a seed client may say require_pkce false; clients that do not still need PKCE', async () => {
      const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
      const seedSecret = randomBytes(32).toString('base64url');
      await writeFile(
        seedFile,
        JSON.stringify({
          clients: [
            {
              client_id: 'seeded-legacy',
              client_secret: seedSecret,
              redirect_uris: [CALLBACK],
              require_pkce: false,
            },
          ],
        }),
      );
      const imported = await idp(['import', seedFile], op.env);
      assert.equal(imported.code, 0, imported.stderr);
      const { callback } = await signIn(
        new TestBrowser(),
        authorizeUrl(op.issuer, legacyRequest({ client_id: 'seeded-legacy' })),
      );
      const tokens = await tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: CALLBACK,
        },
        { authorization: basic('seeded-legacy', seedSecret) },
      );
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));

      // `web` was registered without require_pkce: PKCE stays required of it.
      const page = await new TestBrowser().navigate(
        authorizeUrl(op.issuer, legacyRequest({ client_id: 'web' })),
        CALLBACK,
      );
      assert.equal(new URL(page.redirectedTo!).searchParams.get('error'), 'invalid_request');
      assert.match(
        new URL(page.redirectedTo!).searchParams.get('error_description')!,
        /code_challenge is required/,
      );
    });
  });
}
