import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '@idp/config';
import { ManualClock } from '@idp/keys/testing';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import { TestBrowser } from '../support/browser.js';
import { scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { authorizeUrl, basic, pkce, signIn, tokenRequest, webRequest } from '../support/flow.js';
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

  test('RFC 6749 4.1.2: an authorization code expires within 60 seconds', async () => {
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
});
