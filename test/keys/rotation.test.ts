import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ManualClock } from '@idp/keys/testing';
import type { RunningServer } from '@idp/server';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { startInProcess } from '../support/in-process.js';
import { idp, spawnServer, type SpawnedServer } from '../support/processes.js';

const MINUTE = 60_000;

for (const provider of providers) {
  describe(`key rotation on ${provider} (injected clock)`, () => {
    const clock = new ManualClock(Date.UTC(2031, 5, 1));
    let server: RunningServer;
    let database: Awaited<ReturnType<typeof scratchDatabase>>;

    before(async () => {
      database = await scratchDatabase(provider);
      // Longest token lifetime here is the 1h ID token: a retired key stays published 1h.
      server = await startInProcess(
        {
          DATABASE_URL: database.url,
          IDP_JWKS_MAX_AGE: '10m',
          IDP_ID_TOKEN_TTL: '1h',
          IDP_ACCESS_TOKEN_TTL: '10m',
          IDP_REFRESH_TOKEN_IDLE_TTL: '30m',
          IDP_REFRESH_TOKEN_ABSOLUTE_TTL: '1h',
          IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
        },
        clock,
      );
    });
    after(async () => {
      await server?.app.close();
      await database?.drop();
    });

    async function publishedKids(): Promise<string[]> {
      const jwks = (await (
        await fetch(`${server.url}/.well-known/jwks.json`)
      ).json()) as JSONWebKeySet;
      return jwks.keys.map((k) => k.kid!);
    }
    async function verifiesAgainstPublishedJwks(token: string): Promise<boolean> {
      const jwks = (await (
        await fetch(`${server.url}/.well-known/jwks.json`)
      ).json()) as JSONWebKeySet;
      return jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(clock.now()) }).then(
        () => true,
        () => false,
      );
    }
    const sign = (claims: Record<string, unknown> = {}) =>
      server.services.keyRing.sign({ ...claims, exp: Math.floor(clock.now() / 1000) + 3600 });
    const kidOf = (token: string) => decodeProtectedHeader(token).kid;
    const states = async () =>
      Object.fromEntries((await server.services.signingKeys.list()).map((k) => [k.kid, k.state]));

    test('oidcc-server-rotate-keys: pending -> active -> retired -> removed, then revoke removes at once', async () => {
      const [first] = await publishedKids();
      assert.ok(first);
      const oldToken = await sign({ sub: 'signed-by-first' });
      assert.equal(kidOf(oldToken), first);

      // Rotate (what `pnpm idp keys rotate` runs): the new key is pending.
      const { kid: second } = await server.services.signingKeys.rotate({ actor: 'test' });
      await server.services.keyRing.refresh();
      assert.deepEqual(await states(), { [first]: 'active', [second]: 'pending' });
      assert.deepEqual(await publishedKids(), [first, second], 'pending key is published');
      assert.equal(kidOf(await sign()), first, 'pending key signs nothing');

      // After the JWKS max-age it signs, and the first key retires.
      clock.advance(10 * MINUTE);
      const newToken = await sign();
      assert.equal(kidOf(newToken), second);
      assert.deepEqual(await states(), { [first]: 'retired', [second]: 'active' });
      assert.deepEqual(await publishedKids(), [first, second], 'retired key still published');
      assert.ok(
        await verifiesAgainstPublishedJwks(oldToken),
        'tokens of the retired key still verify',
      );

      // Once every token the first key signed has expired (1h), it leaves the JWKS.
      clock.advance(60 * MINUTE - 1);
      assert.deepEqual(await publishedKids(), [first, second]);
      clock.advance(1);
      assert.deepEqual(await publishedKids(), [second]);
      assert.deepEqual(await states(), { [first]: 'removed', [second]: 'active' });

      // Revoke (compromise): gone from the JWKS at once; a replacement signs.
      const revoked = await server.services.signingKeys.revoke(second, 'test');
      await server.services.keyRing.refresh();
      const kids = await publishedKids();
      assert.ok(!kids.includes(second), 'revoked key is not published');
      assert.deepEqual(kids, [revoked.signingKid]);
      assert.equal(await verifiesAgainstPublishedJwks(newToken), false);
      await assert.rejects(
        server.services.keyRing.verify(newToken),
        'our own verifier rejects it too',
      );
      assert.equal(kidOf(await sign()), revoked.signingKid);
    });

    test('the audit trail records each key operation', async () => {
      const events = await server.services.audit.recent({ limit: 20 });
      const types = events.map((e) => e.type);
      for (const type of ['key.created', 'key.rotated', 'key.revoked'])
        assert.ok(types.includes(type), types.join(','));
    });
  });
}

for (const provider of providers) {
  describe(`key changes made through the CLI on ${provider} (separate processes)`, () => {
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    let env: Record<string, string>;
    let server: SpawnedServer;
    let secret: string;

    before(async () => {
      database = await scratchDatabase(provider);
      // The default IDP_KEY_REFRESH_INTERVAL (5s): the periodic re-read must not be what the
      // next request waits for.
      env = await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      });
      server = await spawnServer(env);
      const added = await idp(
        ['clients', 'add', 'machine', '--grant-type', 'client_credentials', '--scope', 'api'],
        env,
      );
      assert.equal(added.code, 0, added.stderr);
      secret = /client_secret: (\S+)/.exec(added.stdout)![1]!;
    });
    after(async () => {
      await server?.stop();
      await database?.drop();
    });

    const publishedKids = async () =>
      (
        (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
          keys: { kid: string }[];
        }
      ).keys.map((k) => k.kid);
    const accessToken = async () => {
      const response = await fetch(`${server.url}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`machine:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'api' }),
      });
      const body = (await response.json()) as { access_token: string };
      assert.equal(response.status, 200, JSON.stringify(body));
      return body.access_token;
    };
    const introspect = async (token: string) =>
      (
        (await (
          await fetch(`${server.url}/introspect`, {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`machine:${secret}`).toString('base64')}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({ token }),
          })
        ).json()) as { active: boolean }
      ).active;

    test('`keys rotate --now` signs the next token and `keys revoke` unpublishes at once, not at the next periodic refresh', async () => {
      const [first] = await publishedKids();
      const rotated = await idp(['keys', 'rotate', '--now'], env);
      assert.equal(rotated.code, 0, rotated.stderr);
      const second = /new key (\S+) signs/.exec(rotated.stdout)![1]!;
      // DESIGN: the new key signs at once; the old one stays published while its tokens live.
      const token = await accessToken();
      assert.equal(decodeProtectedHeader(token).kid, second);
      assert.deepEqual(await publishedKids(), [first, second]);
      assert.ok(await verifiesAgainst(token, await publishedKids()));

      // DESIGN: revoke removes the key from the JWKS at once and its tokens are rejected.
      const revoked = await idp(['keys', 'revoke', second], env);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.ok(!(await publishedKids()).includes(second), 'revoked key unpublished');
      assert.equal(await introspect(token), false, 'its tokens are rejected');
      assert.notEqual(decodeProtectedHeader(await accessToken()).kid, second);
    });

    async function verifiesAgainst(token: string, kids: string[]) {
      const jwks = (await (
        await fetch(`${server.url}/.well-known/jwks.json`)
      ).json()) as JSONWebKeySet;
      assert.ok(kids.includes(decodeProtectedHeader(token).kid!));
      return jwtVerify(token, createLocalJWKSet(jwks)).then(
        () => true,
        () => false,
      );
    }
  });
}
