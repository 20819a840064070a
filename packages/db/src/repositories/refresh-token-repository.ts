import type { NewRefreshToken, RefreshTokenRecord, RefreshTokenStore, RotationOutcome } from '@idp/oidc';
import type { Database } from '../database.js';
import { auditRow } from './audit.js';
import { toUserAccount } from './row-mappers.js';
import { toFamilyRecord } from './token-family-repository.js';

/**
 * Refresh tokens, stored by hash. Rotation is a conditional update (`WHERE usedAt IS NULL`,
 * expect one row) in a transaction with the insert of the successor, so concurrent rotations of
 * one token produce exactly one successor; used rows are kept so a replay is recognised.
 */
export class RefreshTokenRepository implements RefreshTokenStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** One lookup for everything the refresh grant checks (token, family, user, consent, session). */
  async find(id: string): Promise<RefreshTokenRecord | null> {
    const row = await this.#db.prisma.refreshToken.findUnique({
      where: { id },
      include: { family: { include: { user: { include: { consents: true } }, session: true } } },
    });
    if (!row) return null;
    const { family } = row;
    const consent = family.user.consents.find((c) => c.clientId === family.clientId);
    return {
      id: row.id,
      tokenHash: row.tokenHash,
      expiresAt: row.expiresAt.getTime(),
      usedAt: row.usedAt?.getTime() ?? null,
      family: toFamilyRecord(family),
      user: toUserAccount(family.user),
      consentedScopes: consent ? consent.scope.split(' ').filter(Boolean) : [],
      session: family.session ? { endedAt: family.session.endedAt?.getTime() ?? null, expiresAt: family.session.expiresAt.getTime() } : null,
    };
  }

  async rotate(current: { id: string; tokenHash: string }, next: NewRefreshToken, now: number, graceMs: number): Promise<RotationOutcome> {
    const at = new Date(now);
    return this.#db.prisma.$transaction(async (tx) => {
      const claimed = await tx.refreshToken.updateMany({
        where: { id: current.id, tokenHash: current.tokenHash, usedAt: null, family: { revokedAt: null } },
        data: { usedAt: at, replacedBy: next.id },
      });
      const insertNext = () =>
        tx.refreshToken.create({
          data: { id: next.id, familyId: next.familyId, tokenHash: next.tokenHash, createdAt: at, expiresAt: new Date(next.expiresAt) },
        });
      if (claimed.count === 1) {
        await insertNext();
        return 'rotated';
      }
      // Not claimable: already used (by an earlier or a concurrent request), or the family is gone.
      const row = await tx.refreshToken.findUnique({ where: { id: current.id }, include: { family: true } });
      if (!row || row.tokenHash !== current.tokenHash || row.family.revokedAt !== null || row.usedAt === null) return 'invalid';
      // A concurrent request may have read its clock before the winner set usedAt, so the
      // difference can be negative: with no grace period configured it is never grace.
      if (graceMs > 0 && now - row.usedAt.getTime() <= graceMs) {
        await insertNext();
        return 'grace';
      }
      const revoked = await tx.tokenFamily.updateMany({
        where: { id: row.familyId, revokedAt: null },
        data: { revokedAt: at, revokedReason: 'refresh_token_reuse' },
      });
      if (revoked.count === 1) {
        await tx.auditEvent.create({
          data: auditRow({
            type: 'refresh_token.reused',
            actor: row.family.clientId,
            userId: row.family.userId,
            clientId: row.family.clientId,
            data: { familyId: row.familyId, reusedTokenId: row.id, rotatedAt: row.usedAt.toISOString() },
          }),
        });
      }
      return 'reused';
    });
  }
}
