import type { FactorChange, FailurePolicy, OneTimeCodeFactor, OneTimeCodeStore } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';
import { canMatchStoredText, insertAudit } from './rows.js';

interface FactorRow {
  userId: string;
  secret: string;
  confirmedAt: Date | null;
  expiresAt: Date;
  lastUsedStep: number | bigint | null;
  failures: number | bigint;
  lockedUntil: Date | null;
}

/** Columns read by `find`, named so that a column added later changes nothing here. */
const FACTOR_COLUMNS = Prisma.raw(
  `"userId", "secret", "confirmedAt", "expiresAt", "lastUsedStep", "failures", "lockedUntil"`,
);

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
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async find(userId: string, now: number): Promise<OneTimeCodeFactor | null> {
    if (!canMatchStoredText(userId)) return null;
    const [row] = await this.#db.sql.query<FactorRow>(Prisma.sql`
      SELECT ${FACTOR_COLUMNS} FROM "OneTimeCodeFactor"
      WHERE "userId" = ${userId} AND ("confirmedAt" IS NOT NULL OR "expiresAt" > ${new Date(now)})`);
    if (!row) return null;
    return {
      userId: row.userId,
      secret: row.secret,
      confirmed: row.confirmedAt !== null,
      expiresAt: row.expiresAt.getTime(),
      lastUsedStep: row.lastUsedStep === null ? null : Number(row.lastUsedStep),
      failures: Number(row.failures),
      lockedUntil: row.lockedUntil?.getTime() ?? null,
    };
  }

  async startEnrolment(
    userId: string,
    secret: string,
    now: number,
    expiresAt: number,
  ): Promise<boolean> {
    return this.#db.prisma.$transaction(async (tx) => {
      // A confirmed factor stays; an unconfirmed one (expired or not) is replaced.
      await tx.$executeRaw(Prisma.sql`
        DELETE FROM "OneTimeCodeFactor" WHERE "userId" = ${userId} AND "confirmedAt" IS NULL`);
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
    return this.#db.prisma.$transaction(async (tx) => {
      const confirmed = await tx.$executeRaw(Prisma.sql`
        UPDATE "OneTimeCodeFactor" SET "confirmedAt" = ${at}, "lastUsedStep" = ${step}
        WHERE "userId" = ${userId} AND "confirmedAt" IS NULL AND "expiresAt" > ${at}`);
      if (confirmed !== 1) return false;
      for (const statement of replaceCodes(userId, recoveryCodeHashes, at))
        await tx.$executeRaw(statement);
      await tx.$executeRaw(insertAudit(event('one_time_code.enrolled', userId, change), now));
      return true;
    });
  }

  async useStep(userId: string, step: number, now: number): Promise<boolean> {
    if (!canMatchStoredText(userId)) return false;
    const at = new Date(now);
    const updated = await this.#db.sql.execute(Prisma.sql`
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
    return this.#db.prisma.$transaction(async (tx) => {
      // The increment locks the row, so concurrent failures count one after another.
      const counted = await tx.$executeRaw(Prisma.sql`
        UPDATE "OneTimeCodeFactor" SET "failures" = "failures" + 1
        WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL`);
      if (counted !== 1) return null;
      const lockedUntil = now + policy.lockMs;
      const locked = await tx.$executeRaw(Prisma.sql`
        UPDATE "OneTimeCodeFactor" SET "failures" = 0, "lockedUntil" = ${new Date(lockedUntil)}
        WHERE "userId" = ${userId} AND "failures" >= ${policy.maxFailures}`);
      if (locked !== 1) return null;
      await tx.$executeRaw(
        insertAudit(
          { ...event('one_time_code.locked', userId, change), data: { lockedUntil } },
          now,
        ),
      );
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
    return this.#db.prisma.$transaction(async (tx) => {
      const used = await tx.$executeRaw(Prisma.sql`
        UPDATE "RecoveryCode" SET "usedAt" = ${at}
        WHERE "userId" = ${userId} AND "codeHash" = ${codeHash} AND "usedAt" IS NULL
          AND EXISTS (SELECT 1 FROM "OneTimeCodeFactor" WHERE "userId" = ${userId} AND ${usable(at)})`);
      if (used !== 1) return false;
      await tx.$executeRaw(Prisma.sql`
        UPDATE "OneTimeCodeFactor" SET "failures" = 0 WHERE "userId" = ${userId}`);
      const [left] = await tx.$queryRaw<{ n: number | bigint }[]>(Prisma.sql`
        SELECT COUNT(*) AS "n" FROM "RecoveryCode" WHERE "userId" = ${userId} AND "usedAt" IS NULL`);
      await tx.$executeRaw(
        insertAudit(
          {
            ...event('recovery_code.used', userId, change),
            data: { remaining: Number(left?.n ?? 0) },
          },
          now,
        ),
      );
      return true;
    });
  }

  async replaceRecoveryCodes(
    userId: string,
    recoveryCodeHashes: readonly string[],
    now: number,
    change: FactorChange = {},
  ): Promise<boolean> {
    const at = new Date(now);
    return this.#db.prisma.$transaction(async (tx) => {
      const [factor] = await tx.$queryRaw<{ userId: string }[]>(Prisma.sql`
        SELECT "userId" FROM "OneTimeCodeFactor" WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL`);
      if (!factor) return false;
      for (const statement of replaceCodes(userId, recoveryCodeHashes, at))
        await tx.$executeRaw(statement);
      await tx.$executeRaw(insertAudit(event('recovery_codes.replaced', userId, change), now));
      return true;
    });
  }

  async clearFailures(userId: string): Promise<boolean> {
    if (!canMatchStoredText(userId)) return false;
    const updated = await this.#db.sql.execute(Prisma.sql`
      UPDATE "OneTimeCodeFactor" SET "failures" = 0, "lockedUntil" = NULL
      WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL`);
    return updated === 1;
  }

  async remainingRecoveryCodes(userId: string): Promise<number> {
    if (!canMatchStoredText(userId)) return 0;
    const [row] = await this.#db.sql.query<{ n: number | bigint }>(Prisma.sql`
      SELECT COUNT(*) AS "n" FROM "RecoveryCode" WHERE "userId" = ${userId} AND "usedAt" IS NULL`);
    return Number(row?.n ?? 0);
  }

  async remove(userId: string, now: number, change: FactorChange = {}): Promise<boolean> {
    if (!canMatchStoredText(userId)) return false;
    return this.#db.prisma.$transaction(async (tx) => {
      const factors = await tx.$executeRaw(Prisma.sql`
        DELETE FROM "OneTimeCodeFactor" WHERE "userId" = ${userId} AND "confirmedAt" IS NOT NULL`);
      await tx.$executeRaw(Prisma.sql`
        DELETE FROM "OneTimeCodeFactor" WHERE "userId" = ${userId}`);
      const codes = await tx.$executeRaw(Prisma.sql`
        DELETE FROM "RecoveryCode" WHERE "userId" = ${userId}`);
      if (factors + codes === 0) return false;
      await tx.$executeRaw(
        insertAudit(
          {
            ...event('one_time_code.removed', userId, change),
            data: { reason: change.reason ?? 'removed_by_user' },
          },
          now,
        ),
      );
      return true;
    });
  }
}

/** Statements that replace every recovery code of `userId` by `hashes`. */
function replaceCodes(userId: string, hashes: readonly string[], at: Date): Prisma.Sql[] {
  return [
    Prisma.sql`DELETE FROM "RecoveryCode" WHERE "userId" = ${userId}`,
    ...hashes.map(
      (codeHash) => Prisma.sql`
        INSERT INTO "RecoveryCode" ("userId", "codeHash", "createdAt") VALUES (${userId}, ${codeHash}, ${at})`,
    ),
  ];
}

/** An audit event about `userId`'s factor. */
function event(type: string, userId: string, change: FactorChange) {
  return {
    type,
    actor: change.actor ?? userId,
    userId,
    ...(change.ip ? { ip: change.ip } : {}),
  };
}
