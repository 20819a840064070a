import type { FactorChange, FailurePolicy, OneTimeCodeFactor, OneTimeCodeStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { audit, auditedChange, canMatchStoredText, table, userEvent } from './rows.js';

type FactorRow = Omit<OneTimeCodeFactor, 'confirmed'> & { confirmedAt: number | null };
const factors = table<FactorRow>('OneTimeCodeFactor', {
  ...{ userId: 'value', secret: 'value', confirmedAt: 'time', expiresAt: 'time' },
  ...{ lastUsedStep: 'value', failures: 'value', lockedUntil: 'time' },
});

/** A confirmed factor that is not locked at `at` (SQL condition on "OneTimeCodeFactor"). */
const usable = (at: Date) =>
  Prisma.sql`"confirmedAt" IS NOT NULL AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${at})`;

/**
 * One-time-code factors and recovery codes (ports/one-time-code-store.ts). Every use is one
 * conditional UPDATE that only one of concurrent requests wins: a time step greater than the
 * last one stored (RFC 6238 5.2), a recovery code not yet used. Changes that span rows (confirm
 * with its codes, remove) run in one transaction with their audit event.
 */
export class OneTimeCodeRepository implements OneTimeCodeStore {
  constructor(private readonly db: Database) {}

  async find(userId: string, now: number): Promise<OneTimeCodeFactor | null> {
    if (!canMatchStoredText(userId)) return null;
    const [row] = await this.db.sql.query(Prisma.sql`
      SELECT ${factors.select('f')} FROM "OneTimeCodeFactor" f
      WHERE f."userId" = ${userId} AND (f."confirmedAt" IS NOT NULL OR f."expiresAt" > ${new Date(now)})`);
    const factor = factors.read(row, 'f');
    if (!factor) return null;
    const { confirmedAt, ...rest } = factor;
    return { ...rest, confirmed: confirmedAt !== null };
  }

  async startEnrolment(
    userId: string,
    secret: string,
    now: number,
    expiresAt: number,
  ): Promise<boolean> {
    return this.db.prisma.$transaction(async (tx) => {
      // A confirmed factor stays; an unconfirmed one (expired or not) is replaced.
      await tx.oneTimeCodeFactor.deleteMany({ where: { userId, confirmedAt: null } });
      const inserted = await tx.$executeRaw(Prisma.sql`
        INSERT INTO "OneTimeCodeFactor" ("userId", "secret", "createdAt", "expiresAt", "failures")
        SELECT ${userId}, ${secret}, ${new Date(now)}, ${new Date(expiresAt)}, 0
        WHERE NOT EXISTS (SELECT 1 FROM "OneTimeCodeFactor" WHERE "userId" = ${userId})`);
      return inserted === 1;
    });
  }

  async confirmEnrolment(
    userId: string,
    step: number,
    recoveryCodeHashes: readonly string[],
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    const at = new Date(now);
    return auditedChange(this.db, now, async (tx) => {
      const { count } = await tx.oneTimeCodeFactor.updateMany({
        where: { userId, confirmedAt: null, expiresAt: { gt: at } },
        data: { confirmedAt: at, lastUsedStep: step },
      });
      if (count !== 1) return false;
      await replaceCodes(tx, userId, recoveryCodeHashes, at);
      return userEvent('one_time_code.enrolled', userId, change);
    });
  }

  async useStep(userId: string, step: number, now: number): Promise<boolean> {
    if (!canMatchStoredText(userId)) return false;
    const at = new Date(now);
    const updated = await this.db.sql.execute(Prisma.sql`
      UPDATE "OneTimeCodeFactor" SET "lastUsedStep" = ${step}, "failures" = 0
      WHERE "userId" = ${userId} AND ${usable(at)}
        AND ("lastUsedStep" IS NULL OR "lastUsedStep" < ${step})`);
    return updated === 1;
  }

  async recordFailure(
    userId: string,
    now: number,
    policy: FailurePolicy,
    change: FactorChange = {},
  ): Promise<number | null> {
    if (!canMatchStoredText(userId)) return null;
    return this.db.prisma.$transaction(async (tx) => {
      // The increment locks the row, so concurrent failures count one after another.
      const counted = await tx.oneTimeCodeFactor.updateMany({
        where: { userId, confirmedAt: { not: null } },
        data: { failures: { increment: 1 } },
      });
      if (counted.count !== 1) return null;
      const lockedUntil = now + policy.lockMs;
      const locked = await tx.oneTimeCodeFactor.updateMany({
        where: { userId, failures: { gte: policy.maxFailures } },
        data: { failures: 0, lockedUntil: new Date(lockedUntil) },
      });
      if (locked.count !== 1) return null;
      await audit(tx, userEvent('one_time_code.locked', userId, change, { lockedUntil }), now);
      return lockedUntil;
    });
  }

  async useRecoveryCode(
    userId: string,
    codeHash: string,
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    if (!canMatchStoredText(userId) || !canMatchStoredText(codeHash)) return false;
    const at = new Date(now);
    return auditedChange(this.db, now, async (tx) => {
      const used = await tx.$executeRaw(Prisma.sql`
        UPDATE "RecoveryCode" SET "usedAt" = ${at}
        WHERE "userId" = ${userId} AND "codeHash" = ${codeHash} AND "usedAt" IS NULL
          AND EXISTS (SELECT 1 FROM "OneTimeCodeFactor" WHERE "userId" = ${userId} AND ${usable(at)})`);
      if (used !== 1) return false;
      await tx.oneTimeCodeFactor.updateMany({ where: { userId }, data: { failures: 0 } });
      const remaining = await tx.recoveryCode.count({ where: { userId, usedAt: null } });
      return userEvent('recovery_code.used', userId, change, { remaining });
    });
  }

  async replaceRecoveryCodes(
    userId: string,
    recoveryCodeHashes: readonly string[],
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    return auditedChange(this.db, now, async (tx) => {
      const where = { userId, confirmedAt: { not: null } };
      if ((await tx.oneTimeCodeFactor.count({ where })) === 0) return false;
      await replaceCodes(tx, userId, recoveryCodeHashes, new Date(now));
      return userEvent('recovery_codes.replaced', userId, change);
    });
  }

  async clearFailures(userId: string): Promise<boolean> {
    if (!canMatchStoredText(userId)) return false;
    const { count } = await this.db.prisma.oneTimeCodeFactor.updateMany({
      where: { userId, confirmedAt: { not: null } },
      data: { failures: 0, lockedUntil: null },
    });
    return count === 1;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    if (!canMatchStoredText(userId)) return 0;
    return this.db.prisma.recoveryCode.count({ where: { userId, usedAt: null } });
  }

  async remove(userId: string, now: number, change: FactorChange = {}): Promise<boolean> {
    if (!canMatchStoredText(userId)) return false;
    return auditedChange(this.db, now, async (tx) => {
      const confirmed = { userId, confirmedAt: { not: null } };
      const { count: factors } = await tx.oneTimeCodeFactor.deleteMany({ where: confirmed });
      await tx.oneTimeCodeFactor.deleteMany({ where: { userId } });
      const { count: codes } = await tx.recoveryCode.deleteMany({ where: { userId } });
      if (factors + codes === 0) return false;
      const reason = change.reason ?? 'removed_by_user';
      return userEvent('one_time_code.removed', userId, change, { reason });
    });
  }
}

/** Replaces every recovery code of `userId` by `hashes`. */
async function replaceCodes(
  tx: Prisma.TransactionClient,
  userId: string,
  hashes: readonly string[],
  createdAt: Date,
): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: hashes.map((codeHash) => ({ userId, codeHash, createdAt })),
  });
}
