import type { CollectionResult, GarbageCollector as GarbageCollectorPort } from '@idp/oidc';
import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

export type { CollectionResult };

/** How many rows one statement deletes: small enough never to hold locks for long. */
const BATCH = 500;

/**
 * The port's boundaries (ports/garbage-collector.ts), one batched DELETE per table; `past` is now
 * minus `keepMs`. Foreign keys cascade: a family takes its tokens, a client its consents and codes.
 */
export class GarbageCollector implements GarbageCollectorPort {
  constructor(private readonly db: Database) {}

  async collect(now: number, keepMs: number, maxBatches = 20): Promise<CollectionResult> {
    const past = new Date(now - keepMs);
    const at = new Date(now);
    const expired = (by: Date) => Prisma.sql`"expiresAt" < ${by}`;
    const tables: Record<keyof CollectionResult, [string, Prisma.Sql, string?]> = {
      authorizationCodes: ['AuthorizationCode', expired(past)],
      sessions: ['BrowserSession', Prisma.sql`${expired(past)} OR "endedAt" < ${past}`],
      revokedAccessTokens: ['RevokedAccessToken', expired(at), 'jti'],
      refreshTokens: ['RefreshToken', expired(past)],
      tokenFamilies: ['TokenFamily', Prisma.sql`${expired(past)} OR "revokedAt" < ${past}`],
      singleUseIds: ['SingleUseId', expired(at)],
      pushedRequests: ['PushedAuthorizationRequest', expired(past)],
      deviceAuthorizations: ['DeviceAuthorization', expired(past)],
      emailTokens: ['EmailToken', expired(past)],
      metadataDocumentClients: [
        'Client',
        Prisma.sql`"metadataDocumentFetchedAt" < ${past} AND NOT EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f."clientId" = "Client"."id")`,
      ],
      initialAccessTokens: ['InitialAccessToken', expired(at)],
      oneTimeCodeEnrolments: [
        'OneTimeCodeFactor',
        Prisma.sql`"confirmedAt" IS NULL AND ${expired(past)}`,
        'userId',
      ],
      // A code hash is a SHA-256 of 50 random bits and more: unique enough to delete by.
      recoveryCodes: ['RecoveryCode', Prisma.sql`"usedAt" < ${past}`, 'codeHash'],
      logoutDeliveries: ['LogoutDelivery', Prisma.sql`"createdAt" < ${past}`],
    };
    const result: Record<string, number> = {};
    for (const [name, [table, where, key = 'id']] of Object.entries(tables)) {
      const [t, k] = [Prisma.raw(`"${table}"`), Prisma.raw(`"${key}"`)];
      const batch = Prisma.sql`DELETE FROM ${t} WHERE ${k} IN (SELECT ${k} FROM ${t} WHERE ${where} LIMIT ${Prisma.raw(`${BATCH}`)})`;
      result[name] = await this.#drain(maxBatches, batch);
    }
    return result as Record<keyof CollectionResult, number>;
  }

  /** Runs `batch` until it deletes fewer than BATCH rows or `maxBatches` ran, yielding between. */
  async #drain(maxBatches: number, batch: Prisma.Sql): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxBatches; i += 1) {
      const deleted = await this.db.sql.execute(batch);
      total += deleted;
      if (deleted < BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }
}
