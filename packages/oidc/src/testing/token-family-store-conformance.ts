import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY, MINUTE, refreshToken, seedFamily, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `TokenFamilyStore` (ports/token-family-store.ts), as node:test cases. */
export function describeTokenFamilyStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`TokenFamilyStore conformance: ${name}`, open, (stores) => {
    test('accessTokenState: the family with its user; nothing for unknown or absent families', async () => {
      const { family, user } = await seedFamily(stores(), {
        claims: { id_token: { acr: { values: ['urn:example:loa:2'] } } },
        acr: 'urn:example:loa:2',
      });
      assert.deepEqual(await stores().families.accessTokenState(unique('jti'), family.id), {
        revoked: false,
        family,
        user,
      });
      assert.deepEqual(await stores().families.accessTokenState(unique('jti'), 'no-such-family'), {
        revoked: false,
        family: null,
        user: null,
      });
      assert.deepEqual(await stores().families.accessTokenState(unique('jti'), null), {
        revoked: false,
        family: null,
        user: null,
      });
    });

    test('a family keeps the RFC 8707 resources granted at login, as the refresh token finds it', async () => {
      const resources = ['https://mcp.example/mcp', 'http://127.0.0.1:8931/mcp'];
      const { family, user, token } = await seedFamily(stores(), { resources });
      assert.deepEqual(
        (await stores().families.accessTokenState(unique('jti'), family.id)).family?.resources,
        resources,
      );
      assert.deepEqual((await stores().refreshTokens.find(token.id))?.family.resources, resources);
      assert.equal(user.id, family.userId);
    });

    test('revokeFamily revokes at now, audits once, and cascades to refresh and access tokens', async () => {
      const { client, family, token } = await seedFamily(stores());
      const jti = unique('jti');
      const at = T0 + MINUTE;
      assert.equal(
        await stores().families.revokeFamily(family.id, at, 'revoked_by_client', client.clientId),
        true,
      );
      assert.equal(
        await stores().families.revokeFamily(
          family.id,
          at + 1,
          'revoked_by_client',
          client.clientId,
        ),
        false,
      );
      assert.equal(
        await stores().families.revokeFamily(
          'no-such-family',
          at,
          'revoked_by_client',
          client.clientId,
        ),
        false,
      );
      const state = await stores().families.accessTokenState(jti, family.id);
      assert.equal(state.family?.revokedAt, at);
      assert.deepEqual(
        await stores().refreshTokens.rotate(
          { id: token.id, tokenHash: token.tokenHash },
          refreshToken(family.id),
          at,
        ),
        { outcome: 'invalid' },
      );
      assert.equal((await stores().refreshTokens.find(token.id))?.family.revokedAt, at);
      const events = (await stores().audit.recent({ type: 'token.revoked', limit: 500 })).filter(
        (e) => e.data.familyId === family.id,
      );
      assert.deepEqual(
        events.map((e) => ({ at: e.at, actor: e.actor, clientId: e.clientId, data: e.data })),
        [
          {
            at,
            actor: client.clientId,
            clientId: client.clientId,
            data: { revoked: 'family', familyId: family.id },
          },
        ],
      );
    });

    test('of 10 concurrent revocations of one family exactly one is true', async () => {
      const { client, family } = await seedFamily(stores());
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          stores().families.revokeFamily(family.id, T0, 'revoked_by_client', client.clientId),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('revokeAccessToken lists the jti once, audited at now', async () => {
      const { client, family } = await seedFamily(stores());
      const jti = unique('jti');
      const at = T0 + 2 * MINUTE;
      assert.equal(
        await stores().families.revokeAccessToken(jti, T0 + DAY, client.clientId, at),
        true,
      );
      assert.equal(
        await stores().families.revokeAccessToken(jti, T0 + DAY, client.clientId, at + 1),
        false,
      );
      assert.equal((await stores().families.accessTokenState(jti, family.id)).revoked, true);
      assert.equal((await stores().families.accessTokenState(jti, null)).revoked, true);
      assert.equal(
        (await stores().families.accessTokenState(unique('jti'), family.id)).revoked,
        false,
      );
      const events = (await stores().audit.recent({ type: 'token.revoked', limit: 500 })).filter(
        (e) => e.clientId === client.clientId,
      );
      assert.deepEqual(
        events.map((e) => ({ at: e.at, data: e.data })),
        [{ at, data: { revoked: 'access_token' } }],
      );
    });

    test('of 10 concurrent revocations of one access token exactly one is true', async () => {
      const { client } = await seedFamily(stores());
      const jti = unique('jti');
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          stores().families.revokeAccessToken(jti, T0 + DAY, client.clientId, T0),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
