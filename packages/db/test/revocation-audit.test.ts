import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuditLog, TokenFamilyRepository, type Database } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';

// RFC 7009 revocations are recorded in the audit log by the same write that revokes: one event
// per revocation, none for a repeat, and no revocation without its event (or the reverse).
for (const provider of PROVIDERS) {
  describe(`revocation and its audit event in one write, ${provider}`, () => {
    let scratch: MigratedScratch;
    let db: Database;
    let families: TokenFamilyRepository;
    const events = async () =>
      (await new AuditLog(db).recent({ type: 'token.revoked' })).map(
        ({ clientId, actor, data }) => ({ clientId, actor, data }),
      );

    before(async () => {
      scratch = await openMigratedScratch(provider);
      ({ db } = scratch);
      families = new TokenFamilyRepository(db);
      await db.prisma.client.create({
        data: { id: 'rp', name: 'RP', tokenEndpointAuthMethod: 'none' },
      });
      await db.prisma.user.create({
        data: { id: 'u-rev', email: 'rev@example.com', passwordHash: 'h', claims: '{}' },
      });
      await db.prisma.tokenFamily.create({
        data: {
          id: 'fam-rev',
          clientId: 'rp',
          userId: 'u-rev',
          scope: 'openid',
          authTime: new Date(),
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
    });
    after(() => scratch?.close());

    test('an access token revoked twice is on the list once, with one event naming the client', async () => {
      const expiresAt = Date.now() + 600_000;
      assert.equal(
        await families.revokeAccessToken('jti-rev-1', expiresAt, 'rp', Date.now()),
        true,
      );
      assert.equal(
        await families.revokeAccessToken('jti-rev-1', expiresAt, 'rp', Date.now()),
        false,
        'the second revocation changes nothing',
      );
      assert.equal((await families.accessTokenState('jti-rev-1', null)).revoked, true);
      assert.deepEqual(await events(), [
        { clientId: 'rp', actor: 'rp', data: { revoked: 'access_token' } },
      ]);
    });

    test('a family revoked twice is revoked once, with one event naming it', async () => {
      assert.equal(
        await families.revokeFamily('fam-rev', Date.now(), 'revoked_by_client', 'rp'),
        true,
      );
      assert.equal(
        await families.revokeFamily('fam-rev', Date.now(), 'revoked_by_client', 'rp'),
        false,
      );
      const family = await db.prisma.tokenFamily.findUniqueOrThrow({ where: { id: 'fam-rev' } });
      assert.equal(family.revokedReason, 'revoked_by_client');
      const recorded = await events();
      assert.equal(recorded.length, 2);
      assert.deepEqual(
        recorded.filter((event) => event.data.revoked === 'family'),
        [{ clientId: 'rp', actor: 'rp', data: { revoked: 'family', familyId: 'fam-rev' } }],
      );
    });

    test('when the event cannot be written, the token is not revoked either', async () => {
      // Rename the audit table away, so that only the event's insert fails.
      await db.prisma.$executeRawUnsafe('ALTER TABLE "AuditEvent" RENAME TO "AuditEventAway"');
      try {
        await assert.rejects(
          families.revokeAccessToken('jti-rev-2', Date.now() + 600_000, 'rp', Date.now()),
        );
      } finally {
        await db.prisma.$executeRawUnsafe('ALTER TABLE "AuditEventAway" RENAME TO "AuditEvent"');
      }
      assert.equal((await families.accessTokenState('jti-rev-2', null)).revoked, false);
      assert.equal(
        await families.revokeAccessToken('jti-rev-2', Date.now() + 600_000, 'rp', Date.now()),
        true,
        'a later attempt succeeds',
      );
    });
  });
}
