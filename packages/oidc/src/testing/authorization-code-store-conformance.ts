import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  codeRecord,
  familyRecord,
  MINUTE,
  refreshToken,
  seedClient,
  seedUser,
  T0,
} from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `AuthorizationCodeStore` (ports/authorization-code-store.ts), as node:test cases. */
export function describeAuthorizationCodeStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`AuthorizationCodeStore conformance: ${name}`, open, (stores) => {
    const parties = async () => ({
      client: await seedClient(stores()),
      user: await seedUser(stores()),
    });

    test('save then find returns the code whole with its user; unknown hashes find null', async () => {
      const { client, user } = await parties();
      const code = codeRecord(client, user, {
        acr: 'urn:example:loa:2',
        amr: ['pwd', 'otp'],
        dpopJkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I',
      });
      await stores().codes.save({ ...code, consumedAt: T0, familyId: 'ignored' }, T0);
      assert.deepEqual(await stores().codes.find(code.codeHash), { ...code, user });
      const bare = codeRecord(client, user, {
        nonce: null,
        codeChallenge: null,
        claims: null,
        resources: [],
        scopes: ['openid'],
      });
      await stores().codes.save(bare, T0);
      assert.deepEqual(await stores().codes.find(bare.codeHash), { ...bare, user });
      assert.equal(await stores().codes.find('no-such-code'), null);
    });

    test('redeem consumes the code at now and writes the family and its first refresh token', async () => {
      const { client, user } = await parties();
      const code = codeRecord(client, user);
      await stores().codes.save(code, T0);
      const family = familyRecord(client, user);
      const token = refreshToken(family.id);
      assert.equal(await stores().codes.redeem(code.codeHash, T0 + 5, family, token), true);
      const found = await stores().codes.find(code.codeHash);
      assert.equal(found?.consumedAt, T0 + 5);
      assert.equal(found?.familyId, family.id);
      assert.deepEqual((await stores().families.accessTokenState('jti', family.id)).family, family);
      const stored = await stores().refreshTokens.find(token.id);
      assert.deepEqual(
        {
          id: stored?.id,
          tokenHash: stored?.tokenHash,
          expiresAt: stored?.expiresAt,
          usedAt: stored?.usedAt,
        },
        { id: token.id, tokenHash: token.tokenHash, expiresAt: token.expiresAt, usedAt: null },
      );
    });

    test('redeem without a refresh token writes only the family; a second redeem is refused', async () => {
      const { client, user } = await parties();
      const code = codeRecord(client, user);
      await stores().codes.save(code, T0);
      const family = familyRecord(client, user, { offlineAccess: false });
      assert.equal(await stores().codes.redeem(code.codeHash, T0, family, null), true);
      const second = familyRecord(client, user);
      assert.equal(
        await stores().codes.redeem(code.codeHash, T0 + 1, second, refreshToken(second.id)),
        false,
      );
      assert.equal((await stores().codes.find(code.codeHash))?.familyId, family.id);
      assert.equal((await stores().families.accessTokenState('jti', second.id)).family, null);
      assert.equal(
        await stores().codes.redeem('no-such-code', T0, familyRecord(client, user), null),
        false,
      );
    });

    test('of 10 concurrent redemptions of one code exactly one wins, and only its family is written', async () => {
      const { client, user } = await parties();
      const code = codeRecord(client, user);
      await stores().codes.save(code, T0);
      const families = Array.from({ length: 10 }, () => familyRecord(client, user));
      const results = await Promise.all(
        families.map((family) =>
          stores().codes.redeem(code.codeHash, T0, family, refreshToken(family.id)),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = families[results.indexOf(true)]!;
      assert.equal((await stores().codes.find(code.codeHash))?.familyId, winner.id);
      const written = await Promise.all(
        families.map(
          async (f) => (await stores().families.accessTokenState('jti', f.id)).family !== null,
        ),
      );
      assert.deepEqual(written, results);
    });

    test('revokeIssuedFrom revokes the family the code created, at now, once', async () => {
      const { client, user } = await parties();
      const code = codeRecord(client, user);
      await stores().codes.save(code, T0);
      const family = familyRecord(client, user);
      const token = refreshToken(family.id);
      await stores().codes.redeem(code.codeHash, T0, family, token);
      await stores().codes.revokeIssuedFrom(
        code.codeHash,
        T0 + MINUTE,
        'authorization_code_replay',
      );
      await stores().codes.revokeIssuedFrom(
        code.codeHash,
        T0 + 2 * MINUTE,
        'authorization_code_replay',
      );
      assert.equal(
        (await stores().families.accessTokenState('jti', family.id)).family?.revokedAt,
        T0 + MINUTE,
      );
      assert.deepEqual(
        await stores().refreshTokens.rotate(
          { id: token.id, tokenHash: token.tokenHash },
          refreshToken(family.id),
          T0 + 2 * MINUTE,
        ),
        { outcome: 'invalid' },
      );
      // An unredeemed or unknown code has nothing to revoke.
      const unredeemed = codeRecord(client, user);
      await stores().codes.save(unredeemed, T0);
      await stores().codes.revokeIssuedFrom(unredeemed.codeHash, T0, 'authorization_code_replay');
      await stores().codes.revokeIssuedFrom('no-such-code', T0, 'authorization_code_replay');
    });
  });
}
