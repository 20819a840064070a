import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { openDatabase } from '@idp/db';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import {
  authorizeUrl,
  basic,
  loginTokens,
  pkce,
  signIn,
  tokenRequest,
  webRequest,
} from '../support/flow.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

for (const provider of providers) {
  describe(`token endpoint on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    /** A fresh code for `web` (signed in and consented), with its PKCE verifier. */
    async function freshCode(
      browser = new TestBrowser(),
      overrides: Record<string, string | undefined> = {},
    ) {
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        browser,
        authorizeUrl(op.issuer, webRequest(challenge, overrides)),
      );
      return { code: callback.searchParams.get('code')!, verifier, browser };
    }
    const exchange = (
      code: string,
      verifier: string | undefined,
      extra: Record<string, string | undefined> = {},
      headers?: Record<string, string>,
    ) =>
      tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: CALLBACK,
          code_verifier: verifier,
          ...extra,
        },
        headers,
      );
    const userinfo = (token: string) =>
      fetch(`${op.issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });

    test('fapi2-security-profile-final-incorrect-pkce-code-verifier-rejected, -ensure-pkce-code-verifier-required: RFC 7636 4.6 (issue 29 item 14): a wrong or missing code_verifier for a code issued with code_challenge is invalid_grant', async () => {
      const { code } = await freshCode();
      const wrong = await exchange(code, pkce().verifier);
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_grant');
      // The conformance suite's PKCE modules expect invalid_grant here, not invalid_request.
      const missing = await exchange(code, undefined);
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_grant');
    });

    test('RFC 6749 4.1.3: a redirect_uri different from the authorization request is invalid_grant', async () => {
      const { code, verifier } = await freshCode();
      const result = await exchange(code, verifier, { redirect_uri: 'http://127.0.0.1:9/other' });
      assert.equal(result.body.error, 'invalid_grant');
    });

    test('oidcc-codereuse, fapi2-security-profile-final-attempt-reuse-authorization-code-after-one-second: RFC 6749 4.1.2: a code used twice fails and revokes the tokens its first use issued', async () => {
      const { code, verifier } = await freshCode();
      const first = await exchange(code, verifier);
      assert.equal(first.status, 200);
      assert.equal((await userinfo(first.body.access_token as string)).status, 200);
      const replay = await exchange(code, verifier);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      const after = await userinfo(first.body.access_token as string);
      assert.equal(after.status, 401, 'the access token from the first use is revoked');
      assert.match(after.headers.get('www-authenticate')!, /error="invalid_token"/);
    });

    test('twenty concurrent exchanges of one code: exactly one succeeds, and one family is stored (rows counted)', async () => {
      const { code, verifier } = await freshCode();
      const db = await openDatabase(op.env.DATABASE_URL!);
      try {
        const rows = async () => ({
          families: await db.prisma.tokenFamily.count(),
          refreshTokens: await db.prisma.refreshToken.count(),
        });
        const before = await rows();
        const results = await Promise.all(
          Array.from({ length: 20 }, () => exchange(code, verifier)),
        );
        const winners = results.filter((r) => r.status === 200);
        assert.equal(winners.length, 1);
        assert.ok(
          results.filter((r) => r.status !== 200).every((r) => r.body.error === 'invalid_grant'),
        );
        assert.deepEqual(await rows(), {
          families: before.families + 1,
          refreshTokens: before.refreshTokens + (winners[0]!.body.refresh_token ? 1 : 0),
        });
      } finally {
        await db.close();
      }
    });

    test('RFC 6749 5.2: a wrong client secret is 401 invalid_client with WWW-Authenticate', async () => {
      const { code, verifier } = await freshCode();
      for (const authorization of [
        basic('web', 'wrong-secret'),
        basic('nobody', WEB_SECRET),
        'Basic !!!',
      ]) {
        const result = await exchange(code, verifier, {}, { authorization });
        assert.equal(result.status, 401, authorization);
        assert.equal(result.body.error, 'invalid_client');
        assert.match(result.headers.get('www-authenticate') ?? '', /^Basic/);
      }
      const posted = await exchange(
        code,
        verifier,
        { client_id: 'web', client_secret: WEB_SECRET },
        {},
      );
      assert.equal(
        posted.status,
        401,
        'web is registered for client_secret_basic, not client_secret_post',
      );
      // RFC 6749 5.2: the challenge matches the scheme the client used; it sent no Authorization.
      assert.equal(posted.headers.get('www-authenticate'), null);
      assert.equal(
        (await exchange(code, verifier)).status,
        200,
        'the code was not burnt by failed client authentication',
      );
    });

    test('a client_id no client can have (a NUL) is invalid_client at /token and a plain error at /authorize, never a 500', async () => {
      const posted = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', client_id: 'we\u0000b', client_secret: WEB_SECRET },
        {},
      );
      assert.equal(posted.status, 401, JSON.stringify(posted.body));
      assert.equal(posted.body.error, 'invalid_client');
      const basicAuth = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials' },
        { authorization: basic('we\u0000b', WEB_SECRET) },
      );
      assert.equal(basicAuth.status, 401);
      const authorize = await fetch(
        authorizeUrl(op.issuer, { ...webRequest(pkce().challenge), client_id: 'we\u0000b' }),
        { redirect: 'manual' },
      );
      assert.equal(
        authorize.status,
        400,
        'RFC 6749 4.1.2.1: an unknown client gets an error page, no redirect',
      );
    });

    test('fapi2-security-profile-final-ensure-authorization-code-is-bound-to-client, -ensure-client-id-in-token-endpoint: a code issued to one client cannot be redeemed by another', async () => {
      const { code, verifier } = await freshCode();
      const result = await exchange(
        code,
        verifier,
        { client_id: 'post-client', client_secret: `${WEB_SECRET}-post` },
        {},
      );
      assert.equal(result.body.error, 'invalid_grant');
    });

    test('oidcc-server-client-secret-post: client_secret_post works for a client registered for it', async () => {
      const browser = new TestBrowser();
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        browser,
        authorizeUrl(op.issuer, webRequest(challenge, { client_id: 'post-client' })),
      );
      const result = await exchange(
        callback.searchParams.get('code')!,
        verifier,
        { client_id: 'post-client', client_secret: `${WEB_SECRET}-post` },
        {},
      );
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(
        result.body.refresh_token,
        undefined,
        'post-client may not use the refresh grant',
      );
    });

    test('a public client (auth method none) redeems with PKCE alone', async () => {
      const browser = new TestBrowser();
      const { verifier, challenge } = pkce();
      const redirect = 'http://127.0.0.1:40000/cb';
      const { callback } = await signIn(
        browser,
        authorizeUrl(
          op.issuer,
          webRequest(challenge, {
            client_id: 'native',
            redirect_uri: redirect,
            scope: 'openid profile',
          }),
        ),
        { stopAt: redirect },
      );
      const result = await tokenRequest(
        op.issuer,
        {
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code')!,
          redirect_uri: redirect,
          code_verifier: verifier,
          client_id: 'native',
        },
        {},
      );
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.ok(result.body.id_token);
    });

    test('successful and failed responses carry Cache-Control: no-store (RFC 6749 5.1)', async () => {
      const { code, verifier } = await freshCode();
      const ok = await exchange(code, verifier);
      assert.equal(ok.headers.get('cache-control'), 'no-store');
      const failed = await exchange(code, verifier);
      assert.equal(failed.headers.get('cache-control'), 'no-store');
    });

    test('oidcc-server: ID token: iss sub aud exp iat auth_time nonce azp at_hash sid amr; at_hash matches (OIDC Core 3.1.3.6)', async () => {
      const tokens = await loginTokens(new TestBrowser(), op.issuer, { nonce: 'n-123' });
      const claims = decodeJwt(tokens.id_token!);
      for (const name of [
        'iss',
        'sub',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'nonce',
        'azp',
        'at_hash',
        'sid',
        'amr',
      ]) {
        assert.ok(claims[name] !== undefined, `${name} missing`);
      }
      assert.equal(claims.nonce, 'n-123');
      const digest = createHash('sha256').update(tokens.access_token).digest();
      assert.equal(claims.at_hash, digest.subarray(0, 16).toString('base64url'));
      // OIDC Core 2: the class of the sign-in, always (urn:idp:acr:pwd for a password alone).
      assert.equal(claims.acr, 'urn:idp:acr:pwd');
    });

    test('oidcc-ensure-request-with-acr-values-succeeds: acr names the class reached whatever acr_values asked (OIDC Core 3.1.2.1: voluntary)', async () => {
      const tokens = await loginTokens(new TestBrowser(), op.issuer, { acr_values: '0' });
      assert.equal(decodeJwt(tokens.id_token!).acr, 'urn:idp:acr:pwd');
    });

    test('without the openid scope there is no ID token (plain OAuth 2.0)', async () => {
      const browser = new TestBrowser();
      const { verifier, challenge } = pkce();
      const { callback } = await signIn(
        browser,
        authorizeUrl(op.issuer, webRequest(challenge, { scope: 'profile' })),
      );
      const result = await exchange(callback.searchParams.get('code')!, verifier);
      assert.equal(result.status, 200);
      assert.equal(result.body.id_token, undefined);
      assert.equal(result.body.scope, 'profile');
    });

    test('oidcc-claims-essential (and part of fapi2-security-profile-final-test-claims-parameter-identity-claims): OIDC Core 5.5: the claims parameter adds individual claims to the ID token and userinfo', async () => {
      const claims = JSON.stringify({
        id_token: { phone_number: null },
        userinfo: { phone_number: { essential: true } },
      });
      const tokens = await loginTokens(new TestBrowser(), op.issuer, { scope: 'openid', claims });
      assert.equal(decodeJwt(tokens.id_token!).phone_number, '+1 555 0100');
      const info = (await (await userinfo(tokens.access_token)).json()) as Record<string, unknown>;
      assert.equal(info.phone_number, '+1 555 0100');
      assert.equal(info.email, undefined, 'email scope was not requested');
    });

    test('RFC 6749 4.4: client_credentials gives an access token for the client, no ID or refresh token', async () => {
      const auth = { authorization: basic('service', `${WEB_SECRET}-svc`) };
      const result = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.read' },
        auth,
      );
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.equal(result.body.id_token, undefined);
      assert.equal(result.body.refresh_token, undefined);
      const claims = decodeJwt(result.body.access_token as string);
      assert.equal(claims.sub, 'service');
      assert.equal(claims.client_id, 'service');
      assert.equal(claims.aud, 'https://api.example.com');
      assert.equal(claims.scope, 'reports.read');
      const widened = await tokenRequest(
        op.issuer,
        { grant_type: 'client_credentials', scope: 'reports.delete' },
        auth,
      );
      assert.equal(widened.body.error, 'invalid_scope');
      const notAllowed = await tokenRequest(op.issuer, { grant_type: 'client_credentials' });
      assert.equal(
        notAllowed.body.error,
        'unauthorized_client',
        'web is not registered for client_credentials',
      );
    });

    test('grant_type problems: missing is invalid_request, unknown is unsupported_grant_type', async () => {
      assert.equal((await tokenRequest(op.issuer, {})).body.error, 'invalid_request');
      assert.equal(
        (await tokenRequest(op.issuer, { grant_type: 'password', username: 'a', password: 'b' }))
          .body.error,
        'unsupported_grant_type',
      );
    });

    test('a JSON body is invalid_request (the token endpoint takes forms)', async () => {
      const response = await fetch(`${op.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basic('web', WEB_SECRET) },
        body: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    });
  });
}
