import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { loadConfig } from '@idp/config';
import { ManualClock } from '@idp/keys/testing';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import { TestBrowser } from '../support/browser.js';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
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
import { CALLBACK, seed, WEB_SECRET } from '../support/provider-fixture.js';

describe('lifetimes, with an injected clock', () => {
  const clock = new ManualClock(Date.now());
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;

  before(async () => {
    database = await scratchDatabase('sqlite');
    const env = await isolatedEnvironment({
      DATABASE_URL: database.url,
      IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      IDP_ISSUER: 'http://127.0.0.1:1',
      IDP_AUTHORIZATION_CODE_TTL: '60s',
      IDP_ACCESS_TOKEN_TTL: '5m',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    const seedFile = join(tmpdir(), `seed-${randomBytes(6).toString('hex')}.json`);
    await writeFile(seedFile, JSON.stringify(seed));
    assert.equal((await idp(['import', seedFile], env)).code, 0);
    server = await startServer(loadConfig(env), { clock, logger: createLogger('silent') });
  });
  after(async () => {
    await server?.app.close();
    await database?.drop();
  });

  async function freshCode() {
    const { verifier, challenge } = pkce();
    const { callback } = await signIn(
      new TestBrowser(),
      authorizeUrl(server.url, webRequest(challenge)),
    );
    return { code: callback.searchParams.get('code')!, verifier };
  }

  test('fapi2-security-profile-final-ensure-token-endpoint-fails-with-expired-auth-code: RFC 6749 4.1.2: an authorization code expires within 60 seconds', async () => {
    const { code, verifier } = await freshCode();
    clock.advance(60_000);
    const result = await tokenRequest(server.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    assert.equal(result.status, 400);
    assert.equal(result.body.error, 'invalid_grant');
  });

  test('RFC 6750 3.1: an expired access token is 401 invalid_token at userinfo', async () => {
    const { code, verifier } = await freshCode();
    const result = await tokenRequest(server.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    assert.equal(result.status, 200);
    assert.equal(result.body.expires_in, 300);
    const token = result.body.access_token as string;
    // The issuer in the token is the configured one; userinfo is served by this server.
    const ok = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(ok.status, 200);
    const introspect = async () => {
      const response = await fetch(`${server.url}/introspect`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic('web', WEB_SECRET),
        },
        body: new URLSearchParams({ token }).toString(),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    assert.equal((await introspect()).active, true);
    clock.advance(5 * 60_000);
    const expired = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate')!, /error="invalid_token"/);
    assert.deepEqual(
      await introspect(),
      { active: false },
      'RFC 7662: an expired token is inactive',
    );
  });

  test('oidcc-codereuse-30seconds: RFC 6749 4.1.2: a code replayed 30 s after its use is invalid_grant and revokes the tokens it gave', async () => {
    const { code, verifier } = await freshCode();
    const exchange = () =>
      tokenRequest(server.url, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
    const first = await exchange();
    assert.equal(first.status, 200);
    const userinfo = () =>
      fetch(`${server.url}/userinfo`, {
        headers: { authorization: `Bearer ${first.body.access_token as string}` },
      });
    assert.equal((await userinfo()).status, 200);
    clock.advance(30_000);
    const replay = await exchange();
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    const after = await userinfo();
    assert.equal(after.status, 401, 'the access token of the first use is revoked');
    assert.match(after.headers.get('www-authenticate')!, /error="invalid_token"/);
  });

  test('oidcc-max-age-10000, oidcc-max-age-1: OIDC Core 3.1.2.1: a session younger than max_age is reused; an older one asks to sign in again, with a later auth_time', async () => {
    const browser = new TestBrowser();
    const first = decodeJwt((await loginTokens(browser, server.url)).id_token!);
    clock.advance(2_000);

    /** A login of `browser` with max_age, through the code exchange. */
    async function withMaxAge(maxAge: string) {
      const { verifier, challenge } = pkce();
      const { callback, sawLogin } = await signIn(
        browser,
        authorizeUrl(server.url, webRequest(challenge, { max_age: maxAge })),
      );
      const tokens = await tokenRequest(server.url, {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      });
      return { sawLogin, claims: decodeJwt(tokens.body.id_token as string) };
    }

    const kept = await withMaxAge('10000');
    assert.equal(kept.sawLogin, false, 'max_age=10000: the session is young enough');
    assert.equal(
      kept.claims.auth_time,
      first.auth_time,
      'OIDC Core 2: auth_time, as max_age was sent',
    );

    const again = await withMaxAge('1');
    assert.equal(again.sawLogin, true, 'max_age=1: the session is 2 s old');
    assert.ok(
      (again.claims.auth_time as number) >= (first.auth_time as number) + 2,
      `auth_time ${String(again.claims.auth_time)} is from the new sign-in`,
    );
  });
});
