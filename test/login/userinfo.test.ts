import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { TestBrowser } from '../support/browser.js';
import { basic, loginTokens, signIn, tokenRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

/** A user with a claim of every scope, so that each scope's claims can be seen (OIDC Core 5.4). */
const CAROL = {
  email: 'carol@example.com',
  password: 'carol keeps a long password too',
  name: 'Carol Example',
  given_name: 'Carol',
  family_name: 'Example',
  email_verified: false,
  phone_number: '+1 555 0199',
  phone_number_verified: true,
  address: { street_address: '1 Main Street', locality: 'Springfield', country: 'US' },
};

/** The claims each scope releases (OIDC Core 5.4), as far as CAROL has them. */
const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ['name', 'given_name', 'family_name'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

describe('userinfo (OIDC Core 5.3, RFC 6750)', () => {
  let op: ProviderFixture;
  let config: oidc.Configuration;
  before(async () => {
    op = await startProvider('sqlite');
    const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
    await writeFile(seedFile, JSON.stringify({ clients: [], users: [CAROL] }));
    const imported = await idp(['import', seedFile], op.env);
    assert.equal(imported.code, 0, imported.stderr);
    config = await oidc.discovery(
      new URL(op.issuer),
      'web',
      undefined,
      oidc.ClientSecretBasic(WEB_SECRET),
      { execute: [oidc.allowInsecureRequests] },
    );
  });
  after(async () => op?.close());

  const get = (headers: Record<string, string> = {}) => fetch(`${op.issuer}/userinfo`, { headers });

  test('oidcc-userinfo-get, oidcc-userinfo-post-body: GET with a Bearer header and POST with a form body give the same claims; sub equals the ID token sub', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer, {
      scope: 'openid profile email address',
    });
    const viaHeader = (await (
      await get({ authorization: `Bearer ${tokens.access_token}` })
    ).json()) as Record<string, unknown>;
    const viaBody = await fetch(`${op.issuer}/userinfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    assert.equal(viaBody.status, 200);
    assert.deepEqual(await viaBody.json(), viaHeader);
    assert.equal(viaHeader.sub, decodeJwt(tokens.id_token!).sub);
    assert.equal(viaHeader.name, 'Alice Example');
    assert.equal(viaHeader.email_verified, true);
  });

  test('oidcc-userinfo-post-header: POST with the token in a Bearer header (OIDC Core 5.3.1)', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer);
    const viaGet = (await (
      await get({ authorization: `Bearer ${tokens.access_token}` })
    ).json()) as Record<string, unknown>;
    const viaPost = await fetch(`${op.issuer}/userinfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(viaPost.status, 200);
    assert.match(viaPost.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(await viaPost.json(), viaGet);
    assert.equal(viaGet.sub, decodeJwt(tokens.id_token!).sub);
  });

  const scopeCases: [string, string[]][] = [
    ['oidcc-scope-profile', ['profile']],
    ['oidcc-scope-email', ['email']],
    ['oidcc-scope-address', ['address']],
    ['oidcc-scope-phone', ['phone']],
    ['oidcc-scope-all', ['email', 'phone', 'address', 'profile']],
  ];
  for (const [module, scopes] of scopeCases) {
    test(`${module}: openid ${scopes.join(' ')} releases those scopes' claims at userinfo, and no others (OIDC Core 5.4)`, async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: `openid ${scopes.join(' ')}`,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
      });
      const { callback } = await signIn(new TestBrowser(), url.href, { user: CAROL });
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      const sub = tokens.claims()!.sub;
      const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, sub);
      const expected = scopes.flatMap((scope) => SCOPE_CLAIMS[scope]!);
      for (const claim of expected) assert.ok(claim in userinfo, `${claim} missing`);
      const released = Object.keys(userinfo).filter((claim) => claim !== 'sub');
      for (const claim of released)
        assert.ok(
          expected.includes(claim) || (scopes.includes('profile') && claim === 'updated_at'),
          `${claim} was released without its scope`,
        );
      if ('updated_at' in userinfo)
        assert.equal(
          typeof userinfo.updated_at,
          'number',
          'OIDC Core 5.1: seconds since the epoch',
        );
      if (scopes.includes('address'))
        assert.deepEqual(
          userinfo.address,
          CAROL.address,
          'address is a JSON object (OIDC Core 5.1.1)',
        );
      if (scopes.includes('email')) assert.equal(userinfo.email_verified, false);
      if (scopes.includes('phone')) assert.equal(userinfo.phone_number_verified, true);
    });
  }

  test('RFC 9110 11.1 (like fapi2-security-profile-final-access-token-type-header-case-sensitivity): the Bearer scheme is matched case-insensitively', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer);
    for (const scheme of ['bearer', 'BEARER']) {
      const response = await get({ authorization: `${scheme} ${tokens.access_token}` });
      assert.equal(response.status, 200, scheme);
    }
  });

  test('RFC 6750 3.1: no token is 401 with a bare Bearer challenge', async () => {
    const response = await get();
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate')!, /^Bearer realm="/);
    assert.doesNotMatch(response.headers.get('www-authenticate')!, /error=/);
  });

  test('RFC 6750 3.1: a malformed, forged or foreign token is 401 invalid_token', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer);
    const [header, payload] = tokens.access_token.split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(342)}`;
    for (const token of ['not-a-jwt', tampered, tokens.id_token!, tokens.refresh_token!]) {
      const response = await get({ authorization: `Bearer ${token}` });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate')!, /error="invalid_token"/);
    }
  });

  test('RFC 6750 2: a token in both header and body is invalid_request', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer);
    const response = await fetch(`${op.issuer}/userinfo`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('www-authenticate')!, /error="invalid_request"/);
  });

  test('a client_credentials token (no user, no openid scope) is refused with insufficient_scope', async () => {
    const result = await tokenRequest(
      op.issuer,
      { grant_type: 'client_credentials' },
      { authorization: basic('service', `${WEB_SECRET}-svc`) },
    );
    const response = await get({ authorization: `Bearer ${result.body.access_token as string}` });
    assert.ok([401, 403].includes(response.status));
  });

  test('a revoked token (user disabled: families revoked) is 401 invalid_token', async () => {
    const tokens = await loginTokens(new TestBrowser(), op.issuer, {});
    assert.equal((await get({ authorization: `Bearer ${tokens.access_token}` })).status, 200);
    const disabled = await idp(['users', 'disable', 'alice@example.com'], op.env);
    assert.equal(disabled.code, 0, disabled.stderr);
    const response = await get({ authorization: `Bearer ${tokens.access_token}` });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.equal((await idp(['users', 'enable', 'alice@example.com'], op.env)).code, 0);
  });
});
