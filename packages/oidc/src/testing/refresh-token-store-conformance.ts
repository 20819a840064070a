import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY, MINUTE, refreshToken, seedFamily, T0, unique } from './conformance-fixtures.js';
import { conformanceSuite } from './conformance-suite.js';
import type { OpenStoreSet } from './store-set.js';

/** The contract of `RefreshTokenStore` (ports/refresh-token-store.ts), as node:test cases. */
export function describeRefreshTokenStoreConformance(name: string, open: OpenStoreSet): void {
  conformanceSuite(`RefreshTokenStore conformance: ${name}`, open, (stores) => {
    test('find returns the token with its family, user, consented scopes and session; unknown ids find null', async () => {
      const seeded = await seedFamily(stores());
      const sessionId = unique('session');
      await stores().sessions.create(
        {
          id: sessionId,
          userId: seeded.user.id,
          authTime: T0,
          amr: ['pwd'],
          acr: null,
          expiresAt: T0 + DAY,
        },
        T0,
      );
      const { family, user, token } = await seedFamily(
        stores(),
        { sessionId },
        { user: seeded.user, client: seeded.client },
      );
      await stores().consents.grant(user.id, family.clientId, ['openid', 'profile']);
      assert.deepEqual(await stores().refreshTokens.find(token.id), {
        id: token.id,
        tokenHash: token.tokenHash,
        expiresAt: token.expiresAt,
        usedAt: null,
        family,
        user,
        consentedScopes: ['openid', 'profile'],
        session: { endedAt: null, expiresAt: T0 + DAY },
      });
      const bare = await stores().refreshTokens.find(seeded.token.id);
      assert.equal(bare?.session, null);
      assert.equal(await stores().refreshTokens.find('no-such-token'), null);
      assert.equal(await stores().refreshTokens.find('nul\u0000'), null);
    });

    test('rotate marks the token used at now and stores the successor; a second rotation sees it used', async () => {
      const { family, token } = await seedFamily(stores());
      const next = refreshToken(family.id, { expiresAt: T0 + 2 * DAY });
      const at = T0 + MINUTE;
      assert.deepEqual(
        await stores().refreshTokens.rotate({ id: token.id, tokenHash: token.tokenHash }, next, at),
        { outcome: 'rotated' },
      );
      assert.equal((await stores().refreshTokens.find(token.id))?.usedAt, at);
      assert.equal((await stores().refreshTokens.find(next.id))?.usedAt, null);
      const again = await stores().refreshTokens.rotate(
        { id: token.id, tokenHash: token.tokenHash },
        refreshToken(family.id),
        at + 1,
      );
      assert.deepEqual(again, {
        outcome: 'used',
        usedAt: at,
        successor: {
          id: next.id,
          tokenHash: next.tokenHash,
          createdAt: at,
          expiresAt: next.expiresAt,
          usedAt: null,
        },
      });
    });

    test('rotate is invalid for an unknown token, a wrong hash or a revoked family', async () => {
      const { client, family, token } = await seedFamily(stores());
      assert.deepEqual(
        await stores().refreshTokens.rotate(
          { id: 'no-such-token', tokenHash: 'x' },
          refreshToken(family.id),
          T0,
        ),
        { outcome: 'invalid' },
      );
      assert.deepEqual(
        await stores().refreshTokens.rotate(
          { id: token.id, tokenHash: 'wrong' },
          refreshToken(family.id),
          T0,
        ),
        { outcome: 'invalid' },
      );
      assert.equal((await stores().refreshTokens.find(token.id))?.usedAt, null);
      await stores().families.revokeFamily(family.id, T0, 'revoked_by_client', client.clientId);
      assert.deepEqual(await stores().refreshTokens.rotate(token, refreshToken(family.id), T0), {
        outcome: 'invalid',
      });
    });

    test("extendIdle moves an unused token's expiry later, never earlier; not a used, unknown, mismatched or revoked one", async () => {
      const { client, family, token } = await seedFamily(stores());
      const current = { id: token.id, tokenHash: token.tokenHash };
      const later = token.expiresAt + DAY;
      assert.equal(await stores().refreshTokens.extendIdle(current, later), true);
      assert.equal((await stores().refreshTokens.find(token.id))?.expiresAt, later);
      assert.equal(await stores().refreshTokens.extendIdle(current, later - MINUTE), true);
      assert.equal((await stores().refreshTokens.find(token.id))?.expiresAt, later, 'not earlier');
      assert.equal(
        await stores().refreshTokens.extendIdle({ id: token.id, tokenHash: 'wrong' }, later + DAY),
        false,
      );
      assert.equal(
        await stores().refreshTokens.extendIdle({ id: 'no-such-token', tokenHash: 'x' }, later),
        false,
      );
      assert.equal((await stores().refreshTokens.find(token.id))?.expiresAt, later);

      // A rotated token stays as it was.
      const rotated = await seedFamily(stores());
      const next = refreshToken(rotated.family.id);
      await stores().refreshTokens.rotate(rotated.token, next, T0);
      assert.equal(await stores().refreshTokens.extendIdle(rotated.token, later), false);
      assert.equal(
        (await stores().refreshTokens.find(rotated.token.id))?.expiresAt,
        rotated.token.expiresAt,
      );

      await stores().families.revokeFamily(family.id, T0, 'revoked_by_client', client.clientId);
      assert.equal(await stores().refreshTokens.extendIdle(current, later + DAY), false);
      assert.equal((await stores().refreshTokens.find(token.id))?.expiresAt, later);
    });

    test('of 10 concurrent rotations of one token exactly one rotates; the others name its successor', async () => {
      const { family, token } = await seedFamily(stores());
      const nexts = Array.from({ length: 10 }, () => refreshToken(family.id));
      const results = await Promise.all(
        nexts.map((next) =>
          stores().refreshTokens.rotate({ id: token.id, tokenHash: token.tokenHash }, next, T0),
        ),
      );
      assert.equal(results.filter((r) => r.outcome === 'rotated').length, 1);
      const winner = nexts[results.findIndex((r) => r.outcome === 'rotated')]!;
      for (const result of results)
        if (result.outcome !== 'rotated')
          assert.deepEqual(result, {
            outcome: 'used',
            usedAt: T0,
            successor: {
              id: winner.id,
              tokenHash: winner.tokenHash,
              createdAt: T0,
              expiresAt: winner.expiresAt,
              usedAt: null,
            },
          });
      const stored = await Promise.all(
        nexts.map(async (n) => (await stores().refreshTokens.find(n.id)) !== null),
      );
      assert.deepEqual(
        stored,
        results.map((r) => r.outcome === 'rotated'),
      );
    });

    test('revokeForReuse revokes the family at now and audits the reuse, once', async () => {
      const { client, user, family, token } = await seedFamily(stores());
      const reuse = {
        familyId: family.id,
        tokenId: token.id,
        rotatedAt: T0,
        clientId: client.clientId,
        userId: user.id,
      };
      const at = T0 + 5 * MINUTE;
      assert.equal(await stores().refreshTokens.revokeForReuse(reuse, at), true);
      assert.equal(await stores().refreshTokens.revokeForReuse(reuse, at + 1), false);
      assert.equal((await stores().refreshTokens.find(token.id))?.family.revokedAt, at);
      const events = (
        await stores().audit.recent({ type: 'refresh_token.reused', limit: 500 })
      ).filter((e) => e.userId === user.id);
      assert.deepEqual(
        events.map((e) => ({ at: e.at, actor: e.actor, clientId: e.clientId, data: e.data })),
        [
          {
            at,
            actor: client.clientId,
            clientId: client.clientId,
            data: {
              familyId: family.id,
              reusedTokenId: token.id,
              rotatedAt: new Date(T0).toISOString(),
            },
          },
        ],
      );
    });

    test('of 10 concurrent reuse revocations exactly one is true', async () => {
      const { client, user, family, token } = await seedFamily(stores());
      const reuse = {
        familyId: family.id,
        tokenId: token.id,
        rotatedAt: T0,
        clientId: client.clientId,
        userId: user.id,
      };
      const results = await Promise.all(
        Array.from({ length: 10 }, () => stores().refreshTokens.revokeForReuse(reuse, T0)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
