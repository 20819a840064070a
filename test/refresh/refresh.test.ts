import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { openDatabase } from '@idp/db';
import { TestBrowser } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { basic, loginTokens, tokenRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import { startProvider, WEB_SECRET, type ProviderFixture } from '../support/provider-fixture.js';
import { waitFor } from '../support/wait-for.js';

for (const provider of providers) {
  describe(`refresh tokens, revocation and introspection on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider);
    });
    after(async () => op?.close());

    const refresh = (
      token: string,
      extra: Record<string, string> = {},
      headers?: Record<string, string>,
    ) =>
      tokenRequest(
        op.issuer,
        { grant_type: 'refresh_token', refresh_token: token, ...extra },
        headers,
      );
    const form = (
      path: string,
      body: Record<string, string>,
      authorization = basic('web', WEB_SECRET),
    ) =>
      fetch(`${op.issuer}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: new URLSearchParams(body).toString(),
      });
    const introspect = async (token: string, authorization?: string) =>
      (await (await form('/introspect', { token }, authorization)).json()) as Record<
        string,
        unknown
      >;
    const login = () =>
      loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid profile email offline_access',
        nonce: 'first-nonce',
      });

    test('oidcc-refresh-token: RFC 6749 6 / OIDC Core 12.2: refresh rotates the token and returns new access and ID tokens', async () => {
      const first = await login();
      const result = await refresh(first.refresh_token!);
      assert.equal(result.status, 200, JSON.stringify(result.body));
      assert.notEqual(result.body.refresh_token, first.refresh_token);
      assert.notEqual(result.body.access_token, first.access_token);
      const before = decodeJwt(first.id_token!);
      const after = decodeJwt(result.body.id_token as string);
      assert.equal(after.sub, before.sub);
      assert.equal(after.auth_time, before.auth_time, 'auth_time is the original authentication');
      assert.equal(after.nonce, undefined, 'no nonce on refresh');
      assert.equal(result.headers.get('cache-control'), 'no-store');
    });

    test('reuse detection: the old token replayed is invalid_grant, and then the newest one is rejected too', async () => {
      const first = await login();
      const second = await refresh(first.refresh_token!);
      assert.equal(second.status, 200);
      const replay = await refresh(first.refresh_token!);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      const newest = await refresh(second.body.refresh_token as string);
      assert.equal(newest.body.error, 'invalid_grant', 'the whole family is revoked');
      const userinfo = await fetch(`${op.issuer}/userinfo`, {
        headers: { authorization: `Bearer ${second.body.access_token as string}` },
      });
      assert.equal(userinfo.status, 401, 'access tokens of the family are revoked too');
      assert.equal((await introspect(second.body.access_token as string)).active, false);

      const audit = await idp(
        ['audit', 'list', '--type', 'refresh_token.reused', '--json'],
        op.env,
      );
      const events = JSON.parse(audit.stdout) as {
        clientId: string;
        userId: string;
        data: { familyId: string };
      }[];
      assert.ok(events.length >= 1);
      assert.equal(events[0]!.clientId, 'web');
      assert.ok(events[0]!.data.familyId);
    });

    test('twenty parallel refreshes with one token rotate exactly once (rows counted)', async () => {
      // Races are probabilistic: a few rounds make a lost update far more likely to show.
      for (let round = 0; round < 3; round += 1) {
        const first = await login();
        const familyId = (decodeJwt(first.access_token).jti as string).split('.')[0]!;
        const results = await Promise.all(
          Array.from({ length: 20 }, () => refresh(first.refresh_token!)),
        );
        assert.equal(
          results.filter((r) => r.status === 200).length,
          1,
          JSON.stringify(results.map((r) => r.body.error ?? 'ok')),
        );
        assert.ok(
          results.filter((r) => r.status !== 200).every((r) => r.body.error === 'invalid_grant'),
        );
        const db = await openDatabase(op.env.DATABASE_URL!);
        try {
          const rows = await db.prisma.refreshToken.findMany({ where: { familyId } });
          assert.equal(rows.length, 2, 'the original and exactly one successor');
          assert.equal(rows.filter((r) => r.usedAt !== null).length, 1);
        } finally {
          await db.close();
        }
      }
    });

    test('scope may narrow (RFC 6749 6) but never widen (invalid_scope)', async () => {
      const first = await login();
      const narrowed = await refresh(first.refresh_token!, { scope: 'openid email' });
      assert.equal(narrowed.status, 200);
      assert.equal(narrowed.body.scope, 'openid email');
      const widened = await refresh(narrowed.body.refresh_token as string, {
        scope: 'openid phone',
      });
      assert.equal(widened.body.error, 'invalid_scope');
      const full = await refresh(narrowed.body.refresh_token as string);
      assert.equal(
        full.body.scope,
        'openid profile email offline_access',
        'the family keeps its granted scope',
      );
    });

    test('oidcc-refresh-token (other client): a refresh token presented by another client is invalid_grant', async () => {
      const first = await login();
      const result = await refresh(
        first.refresh_token!,
        {},
        { authorization: basic('web2', `${WEB_SECRET}-2`) },
      );
      assert.equal(result.body.error, 'invalid_grant');
    });

    test('an access or ID token is never accepted as a refresh token', async () => {
      const first = await login();
      for (const token of [first.access_token, first.id_token!])
        assert.equal((await refresh(token)).body.error, 'invalid_grant');
    });

    // A later expiry under the original signature, one bit of the signature flipped, and no
    // signature at all: none is the token we issued.
    const alterations = (token: string): string[] => {
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = decodeJwt(token);
      const laterPayload = Buffer.from(
        JSON.stringify({ ...claims, exp: claims.exp! + 86_400 }),
      ).toString('base64url');
      const flipped = Buffer.from(signature, 'base64url');
      flipped[0]! ^= 1;
      return [
        `${header}.${laterPayload}.${signature}`,
        `${header}.${payload}.${flipped.toString('base64url')}`,
        `${header}.${payload}.`,
      ];
    };

    test('a refresh token altered in any part is invalid_grant and revokes nothing; the genuine one still rotates', async () => {
      const first = await login();
      const genuine = first.refresh_token!;
      for (const altered of alterations(genuine)) {
        const result = await refresh(altered);
        assert.equal(result.status, 400);
        assert.equal(result.body.error, 'invalid_grant');
        assert.deepEqual(
          await introspect(altered),
          { active: false },
          'RFC 7662 2.2: not a token we issued',
        );
        assert.equal(
          (await form('/revoke', { token: altered })).status,
          200,
          'RFC 7009 2.2: an unknown token answers 200',
        );
      }
      assert.equal(
        (await introspect(genuine)).active,
        true,
        'revoking the altered tokens revoked nothing',
      );
      const rotated = await refresh(genuine);
      assert.equal(rotated.status, 200, 'the family was not revoked by the altered tokens');
      // Altered copies of the now used token are not a replay of it (which revokes the family).
      for (const altered of alterations(genuine))
        assert.equal((await refresh(altered)).body.error, 'invalid_grant');
      const next = await refresh(rotated.body.refresh_token as string);
      assert.equal(next.status, 200, 'altered copies of a used token did not revoke its family');
    });

    test('a refresh token past its stored idle or absolute expiry is invalid_grant and inactive (RFC 6749 6)', async () => {
      const db = await openDatabase(op.env.DATABASE_URL!);
      try {
        const idle = await login();
        await db.prisma.refreshToken.update({
          where: { id: decodeJwt(idle.refresh_token!).jti! },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        assert.equal((await refresh(idle.refresh_token!)).body.error, 'invalid_grant');
        assert.deepEqual(await introspect(idle.refresh_token!), { active: false });

        const absolute = await login();
        const familyId = (decodeJwt(absolute.access_token).jti as string).split('.')[0]!;
        await db.prisma.tokenFamily.update({
          where: { id: familyId },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        assert.equal((await refresh(absolute.refresh_token!)).body.error, 'invalid_grant');
        assert.deepEqual(await introspect(absolute.refresh_token!), { active: false });
      } finally {
        await db.close();
      }
    });

    test('a forged refresh token whose jti no database would take (a NUL) is invalid_grant, not a 500', async () => {
      const first = await login();
      const [header, , signature] = first.refresh_token!.split('.') as [string, string, string];
      const claims = decodeJwt(first.refresh_token!);
      for (const jti of ['\u0000', 'a\u0000b', 'x'.repeat(10_000), 42]) {
        const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, jti })).toString('base64url')}.${signature}`;
        const result = await refresh(forged);
        assert.equal(result.status, 400, JSON.stringify(result.body));
        assert.equal(result.body.error, 'invalid_grant');
        assert.deepEqual(await introspect(forged), { active: false });
        assert.equal(
          (await form('/revoke', { token: forged, token_type_hint: 'refresh_token' })).status,
          200,
        );
      }
    });

    test('RFC 7009: revoking a refresh token revokes its family; refresh then fails', async () => {
      const first = await login();
      const response = await form('/revoke', {
        token: first.refresh_token!,
        token_type_hint: 'refresh_token',
      });
      assert.equal(response.status, 200);
      assert.equal((await refresh(first.refresh_token!)).body.error, 'invalid_grant');
      assert.equal((await introspect(first.access_token)).active, false);
    });

    test('RFC 7009: revoking an access token; a wrong hint is only a hint; foreign and unknown tokens answer 200', async () => {
      const revocationEvents = async () => {
        const listed = await idp(['audit', 'list', '--type', 'token.revoked', '--json'], op.env);
        return JSON.parse(listed.stdout) as { clientId: string; data: { revoked: string } }[];
      };
      const before = (await revocationEvents()).length;
      const first = await login();
      assert.equal(
        (await form('/revoke', { token: first.access_token, token_type_hint: 'refresh_token' }))
          .status,
        200,
      );
      assert.equal(
        (await form('/revoke', { token: first.access_token })).status,
        200,
        'revoking again answers 200 too (RFC 7009 2.2)',
      );
      // Concurrent revocations of one token all pass the liveness check before any writes: the
      // store writes the revocation and its event once.
      const racing = await login();
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => form('/revoke', { token: racing.access_token })),
      );
      assert.deepEqual(
        answers.map((answer) => answer.status),
        Array(8).fill(200),
      );
      const events = await revocationEvents();
      assert.equal(
        events.length,
        before + 2,
        'one audit event per revoked token, however often or concurrently revoked',
      );
      assert.equal(events[0]!.clientId, 'web');
      assert.equal(events[0]!.data.revoked, 'access_token');
      assert.equal((await introspect(first.access_token)).active, false);
      assert.equal(
        (
          await fetch(`${op.issuer}/userinfo`, {
            headers: { authorization: `Bearer ${first.access_token}` },
          })
        ).status,
        401,
      );
      assert.equal(
        (await refresh(first.refresh_token!)).status,
        200,
        'revoking the access token left the family alive',
      );

      const other = await login();
      const foreign = await form(
        '/revoke',
        { token: other.refresh_token! },
        basic('web2', `${WEB_SECRET}-2`),
      );
      assert.equal(foreign.status, 200);
      assert.equal(
        (await introspect(other.refresh_token!)).active,
        true,
        'another client cannot revoke it',
      );
      assert.equal((await form('/revoke', { token: 'garbage' })).status, 200);
      assert.equal((await form('/revoke', { token: 'x' }, basic('web', 'wrong'))).status, 401);
    });

    test('RFC 7662: active true with the members for live tokens; active false and nothing else otherwise', async () => {
      const first = await login();
      const access = await introspect(first.access_token);
      assert.equal(access.active, true);
      for (const member of ['scope', 'client_id', 'sub', 'aud', 'iss', 'exp', 'iat', 'token_type'])
        assert.ok(access[member] !== undefined, member);
      assert.equal(access.token_type, 'Bearer');
      const refreshInfo = await introspect(first.refresh_token!);
      assert.equal(refreshInfo.active, true);
      assert.equal(refreshInfo.token_type, 'refresh_token');
      assert.deepEqual(await introspect(first.refresh_token!, basic('web2', `${WEB_SECRET}-2`)), {
        active: false,
      });

      const [header, payload] = first.access_token.split('.');
      for (const token of ['garbage', `${header}.${payload}.AAAA`, first.id_token!]) {
        assert.deepEqual(await introspect(token), { active: false });
      }
      const rotated = await refresh(first.refresh_token!);
      assert.equal(rotated.status, 200);
      assert.deepEqual(
        await introspect(first.refresh_token!),
        { active: false },
        'a used refresh token is inactive',
      );
    });

    test('issue 29 item 4: a refresh token is never accepted as an access token, even without a typ check (RFC 9068 4)', async () => {
      const first = await login();
      const jwks = createRemoteJWKSet(new URL(`${op.issuer}/.well-known/jwks.json`));
      const { payload: access } = await jwtVerify(first.access_token, jwks, {
        issuer: op.issuer,
        typ: 'at+jwt',
      });
      const audience = access.aud as string | string[];
      // A resource server that forgets RFC 9068 4's typ check still refuses it: the audience differs.
      await assert.rejects(jwtVerify(first.refresh_token!, jwks, { issuer: op.issuer, audience }), {
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        claim: 'aud',
      });
      await assert.rejects(
        jwtVerify(first.refresh_token!, jwks, { issuer: op.issuer, audience, typ: 'at+jwt' }),
        { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' },
      );
      assert.equal(decodeJwt(first.refresh_token!).aud, `${op.issuer}/token`);
      const userinfo = await fetch(`${op.issuer}/userinfo`, {
        headers: { authorization: `Bearer ${first.refresh_token!}` },
      });
      assert.equal(userinfo.status, 401);
      assert.equal(
        (await refresh(first.refresh_token!)).status,
        200,
        'it still works where it belongs',
      );

      // Nor can a client get that audience registered as a resource, from the CLI or a seed.
      const add = await idp(
        [
          'clients',
          'add',
          'sneaky',
          '--grant-type',
          'client_credentials',
          '--resource',
          `${op.issuer}/token`,
        ],
        op.env,
      );
      assert.notEqual(add.code, 0);
      assert.match(add.stderr, /resources\[0\]: is the token endpoint/);
    });

    test('issue 29 item 6: a public client sending only its client_id may not introspect (RFC 7662 2.1), but may revoke (RFC 7009 2.1)', async () => {
      const first = await login();
      const asPublic = (path: string, token: string) =>
        fetch(`${op.issuer}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, client_id: 'native' }).toString(),
        });
      for (const token of [first.access_token, first.refresh_token!]) {
        const response = await asPublic('/introspect', token);
        assert.equal(response.status, 401);
        assert.ok(
          response.headers.get('www-authenticate'),
          'RFC 6749 5.2: a challenge with invalid_client',
        );
        const body = (await response.json()) as Record<string, unknown>;
        assert.equal(body.error, 'invalid_client');
        assert.equal(body.active, undefined, 'nothing about the token');
      }
      assert.equal(
        (await asPublic('/revoke', first.access_token)).status,
        200,
        'revocation stays open to public clients',
      );
      assert.equal(
        (await introspect(first.access_token)).active,
        true,
        "another client's token is not revoked by it",
      );
      const discovery = (await (
        await fetch(`${op.issuer}/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      assert.deepEqual(discovery.introspection_endpoint_auth_methods_supported, [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ]);
    });
  });
}

describe('refresh grace period', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite', { IDP_REFRESH_TOKEN_REUSE_GRACE: '30s' });
  });
  after(async () => op?.close());

  test('within the grace period a just-rotated token still works and the family survives', async () => {
    const first = await loginTokens(new TestBrowser(), op.issuer, {
      scope: 'openid offline_access',
    });
    const a = await tokenRequest(op.issuer, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    const b = await tokenRequest(op.issuer, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200, JSON.stringify(b.body));
    const next = await tokenRequest(op.issuer, {
      grant_type: 'refresh_token',
      refresh_token: a.body.refresh_token as string,
    });
    assert.equal(next.status, 200, 'the family was not revoked');
  });
});

for (const provider of providers) {
  describe(`refresh grace period on ${provider}`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, { IDP_REFRESH_TOKEN_REUSE_GRACE: '30s' });
    });
    after(async () => op?.close());
    const refresh = (token: string) =>
      tokenRequest(op.issuer, { grant_type: 'refresh_token', refresh_token: token });
    const familyRows = async (accessToken: string) => {
      const familyId = (decodeJwt(accessToken).jti as string).split('.')[0]!;
      const db = await openDatabase(op.env.DATABASE_URL!);
      try {
        return await db.prisma.refreshToken.findMany({ where: { familyId } });
      } finally {
        await db.close();
      }
    };

    test('issue 29 item 11: a retry within the grace period receives the same successor, never a second one', async () => {
      const first = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid offline_access',
      });
      const answered = await refresh(first.refresh_token!);
      assert.equal(answered.status, 200);
      // The client never saw that answer (a timeout, a crash after the commit) and retries, also
      // several times at once.
      const retries = await Promise.all(
        Array.from({ length: 5 }, () => refresh(first.refresh_token!)),
      );
      for (const retry of retries) {
        assert.equal(retry.status, 200, JSON.stringify(retry.body));
        assert.equal(retry.body.refresh_token, answered.body.refresh_token, 'the same successor');
      }
      assert.equal(
        (await familyRows(first.access_token)).length,
        2,
        'the original and one successor, however often retried',
      );
      const next = await refresh(answered.body.refresh_token as string);
      assert.equal(next.status, 200, 'the successor works, and the family lives on');
    });

    test('issue 29 item 11: within the grace period, a token whose successor was used since is a replay: the family is revoked (RFC 9700 4.14.2)', async () => {
      const first = await loginTokens(new TestBrowser(), op.issuer, {
        scope: 'openid offline_access',
      });
      const second = await refresh(first.refresh_token!);
      const third = await refresh(second.body.refresh_token as string);
      assert.equal(third.status, 200);
      const replay = await refresh(first.refresh_token!);
      assert.equal(replay.status, 400);
      assert.equal(replay.body.error, 'invalid_grant');
      assert.equal(
        (await refresh(third.body.refresh_token as string)).body.error,
        'invalid_grant',
        'the whole family is revoked',
      );
    });
  });
}

describe('refresh after an emergency key revocation', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite', { IDP_KEY_REFRESH_INTERVAL: '1s' });
  });
  after(async () => op?.close());

  test('a refresh token signed by a revoked key is invalid_grant once the server has seen the revocation', async () => {
    const first = await loginTokens(new TestBrowser(), op.issuer, {
      scope: 'openid offline_access',
    });
    const kid = decodeProtectedHeader(first.refresh_token!).kid!;
    const revoked = await idp(['keys', 'revoke', kid], op.env);
    assert.equal(revoked.code, 0, revoked.stderr);
    const published = async () =>
      (
        (await (await fetch(`${op.issuer}/.well-known/jwks.json`)).json()) as {
          keys: { kid: string }[];
        }
      ).keys.map((k) => k.kid);
    await waitFor(
      async () => !(await published()).includes(kid),
      'the revoked key to leave the JWKS',
    );
    const result = await tokenRequest(op.issuer, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token!,
    });
    assert.equal(result.status, 400);
    assert.equal(result.body.error, 'invalid_grant');
  });
});
