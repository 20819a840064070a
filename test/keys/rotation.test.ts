import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { ManualClock } from '@idp/keys/testing';
import type { RunningServer } from '@idp/server';
import { providers, scratchDatabase } from '../support/databases.js';
import { keyEncryptionKey } from '../support/environment.js';
import { startInProcess } from '../support/in-process.js';

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

    test('pending -> active -> retired -> removed, then revoke removes at once', async () => {
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
